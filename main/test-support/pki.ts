/**
 * Test PKI made per run with the openssl CLI: a root CA, an intermediate and leaves
 * (valid, expired, not yet valid, wrong host, self-signed, attacker-signed), so every
 * TLS test runs against a chain nobody else has seen. Test-only; never bundled.
 */
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A certificate with its key, as PEM text and file paths. */
export interface CertKey {
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
  /** `sha256/BASE64` SPKI pin of this certificate's public key. */
  pin: string;
}

/** Options for a leaf certificate. */
export interface LeafOptions {
  /** DNS names and IPs for subjectAltName; default ['localhost', '127.0.0.1']. */
  hosts?: string[];
  cn?: string;
  /** Days from now the validity starts (negative = in the past). */
  startDays?: number;
  /** Validity length in days. */
  days?: number;
  /** Issuer; default the intermediate. Use `'self'` for a self-signed leaf. */
  issuer?: CertKey | 'self';
  keyType?: 'ec' | 'rsa';
  /** Extra lines for the extension section (e.g. authorityInfoAccess). */
  extraExtensions?: string[];
}

/** A per-run PKI. */
export interface TestPki {
  dir: string;
  root: CertKey;
  intermediate: CertKey;
  /** A valid leaf for localhost / 127.0.0.1 signed by the intermediate. */
  leaf: CertKey;
  /** leaf + intermediate, as a server sends it. */
  chainPem: string;
  issueLeaf(name: string, options?: LeafOptions): CertKey;
  /** A second, unrelated root + intermediate (an attacker's or another CA). */
  createCa(name: string): { root: CertKey; intermediate: CertKey };
  cleanup(): void;
}

/** SHA-256 SPKI pin of a PEM certificate, `sha256/BASE64`. */
export function spkiPinOf(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return 'sha256/' + createHash('sha256').update(spki).digest('base64');
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function fmtDate(d: Date): string {
  // openssl ca -startdate/-enddate want YYYYMMDDHHMMSSZ
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
}

/** Create a fresh PKI in a temp directory. */
export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'llmrecon-pki-'));
  let serial = 1000 + Math.floor(Math.random() * 1000);

  const genKey = (name: string, type: 'ec' | 'rsa'): string => {
    const keyFile = join(dir, `${name}.key`);
    if (type === 'ec')
      openssl(
        ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyFile],
        dir,
      );
    else
      openssl(
        ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', keyFile],
        dir,
      );
    return keyFile;
  };

  const sign = (
    name: string,
    subject: string,
    issuer: CertKey | 'self',
    ext: string[],
    start: Date,
    end: Date,
    keyType: 'ec' | 'rsa',
  ): CertKey => {
    const keyFile = genKey(name, keyType);
    const csr = join(dir, `${name}.csr`);
    const certFile = join(dir, `${name}.crt`);
    const extFile = join(dir, `${name}.ext`);
    writeFileSync(extFile, `[v3]\n${ext.join('\n')}\n`);
    openssl(['req', '-new', '-key', keyFile, '-subj', subject, '-out', csr], dir);
    // `openssl x509 -req` cannot set arbitrary start dates, so use a minimal `openssl ca` db.
    const db = join(dir, `${name}.db`);
    writeFileSync(db, '');
    writeFileSync(join(dir, `${name}.serial`), (serial++).toString(16).padStart(4, '0') + '\n');
    const caConf = join(dir, `${name}.ca.cnf`);
    writeFileSync(
      caConf,
      [
        '[ca]',
        'default_ca = this',
        '[this]',
        `database = ${db}`,
        `serial = ${join(dir, `${name}.serial`)}`,
        `new_certs_dir = ${dir}`,
        'default_md = sha256',
        'policy = any',
        'unique_subject = no',
        'copy_extensions = none',
        '[any]',
        'commonName = supplied',
        'organizationName = optional',
      ].join('\n') + '\n',
    );
    const args = [
      'ca',
      '-batch',
      '-config',
      caConf,
      '-in',
      csr,
      '-out',
      certFile,
      '-notext',
      '-startdate',
      fmtDate(start),
      '-enddate',
      fmtDate(end),
      '-extfile',
      extFile,
      '-extensions',
      'v3',
    ];
    if (issuer === 'self') args.push('-selfsign', '-keyfile', keyFile);
    else args.push('-cert', issuer.certFile, '-keyfile', issuer.keyFile);
    openssl(args, dir);
    const cert = readFileSync(certFile, 'utf8');
    const pem = cert.slice(cert.indexOf('-----BEGIN CERTIFICATE-----'));
    writeFileSync(certFile, pem);
    return {
      cert: pem,
      key: readFileSync(keyFile, 'utf8'),
      certFile,
      keyFile,
      pin: spkiPinOf(pem),
    };
  };

  const day = 86_400_000;
  const now = Date.now();
  const caExt = [
    'basicConstraints = critical, CA:TRUE',
    'keyUsage = critical, keyCertSign, cRLSign',
    'subjectKeyIdentifier = hash',
  ];

  const createCa = (name: string) => {
    const root = sign(
      `${name}-root`,
      `/O=LLMrecon Test/CN=${name} Root CA`,
      'self',
      caExt,
      new Date(now - day),
      new Date(now + 3650 * day),
      'ec',
    );
    const intermediate = sign(
      `${name}-int`,
      `/O=LLMrecon Test/CN=${name} Intermediate CA`,
      root,
      [...caExt, 'authorityKeyIdentifier = keyid'],
      new Date(now - day),
      new Date(now + 1825 * day),
      'ec',
    );
    return { root, intermediate };
  };

  const main = createCa('Test');
  let leafCount = 0;
  const issueLeaf = (name: string, options: LeafOptions = {}): CertKey => {
    const hosts = options.hosts ?? ['localhost', '127.0.0.1'];
    const san = hosts
      .map((h) => (/^[\d.]+$/.test(h) || h.includes(':') ? `IP:${h}` : `DNS:${h}`))
      .join(', ');
    const start = new Date(now + (options.startDays ?? -1) * day);
    const end = new Date(start.getTime() + (options.days ?? 30) * day);
    const issuer = options.issuer ?? main.intermediate;
    return sign(
      `leaf-${name}-${leafCount++}`,
      `/O=LLMrecon Test/CN=${options.cn ?? hosts[0]}`,
      issuer,
      [
        'basicConstraints = critical, CA:FALSE',
        'keyUsage = critical, digitalSignature, keyEncipherment',
        'extendedKeyUsage = serverAuth, clientAuth',
        `subjectAltName = ${san}`,
        ...(issuer === 'self' ? [] : ['authorityKeyIdentifier = keyid']),
        ...(options.extraExtensions ?? []),
      ],
      start,
      end,
      options.keyType ?? 'ec',
    );
  };

  const leaf = issueLeaf('default');
  return {
    dir,
    root: main.root,
    intermediate: main.intermediate,
    leaf,
    chainPem: leaf.cert + main.intermediate.cert,
    issueLeaf,
    createCa,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
