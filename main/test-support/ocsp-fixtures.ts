/**
 * OCSP test fixtures made per run with `openssl ocsp` on top of the test PKI: good, revoked,
 * unknown, wrong-signer and delegated-responder responses, plus an expired one (openssl cannot
 * back-date thisUpdate, so that one is re-signed by the issuer with pkijs). Test-only.
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey, webcrypto, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { ensurePkijsEngine } from '../net/ocsp-pkijs';
import { spkiPinOf, type CertKey, type TestPki } from './pki';

/** Options for one OCSP response. */
export interface OcspResponseOptions {
  /** The certificate the response is about. */
  cert: CertKey;
  status: 'good' | 'revoked' | 'unknown';
  /** Who signs; default the issuer (the test intermediate). */
  signer?: CertKey;
  /** The certificate's issuer; default the test intermediate. */
  issuer?: CertKey;
  /** nextUpdate in days from now (default 1). */
  days?: number;
  /** Identify the responder by key hash instead of by name. */
  byKey?: boolean;
}

/** Options for a CRL. */
export interface CrlOptions {
  /** Certificates listed as revoked. */
  revoked?: CertKey[];
  /** Who signs (its subject becomes the CRL issuer); default the test intermediate. */
  signer?: CertKey;
  /** lastUpdate / nextUpdate; default now-1h / now+7d. */
  lastUpdate?: Date;
  nextUpdate?: Date;
}

/** Per-run OCSP material. */
export interface OcspFixtures {
  /** Delegated responder certified by the intermediate with id-kp-OCSPSigning. */
  responder: CertKey;
  /** Certified by the intermediate but without id-kp-OCSPSigning. */
  responderNoEku: CertKey;
  /** Has id-kp-OCSPSigning but was issued by another CA. */
  responderOtherCa: CertKey;
  /** Intermediate of an unrelated CA (a wrong signer). */
  otherIntermediate: CertKey;
  /** Make a response with `openssl ocsp`. */
  respond(options: OcspResponseOptions): Buffer;
  /** Write a CRL with `openssl ca -gencrl`; returns the PEM file path (and a DER copy). */
  crl(options?: CrlOptions): { pemFile: string; derFile: string };
  /** Re-sign a good response for `cert` with thisUpdate/nextUpdate in the past. */
  expired(cert: CertKey, issuer?: CertKey): Promise<Buffer>;
}

let counter = 0;

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Issue a certificate directly with `openssl x509 -req` (pki.ts fixes the leaf EKU). */
function issueWithEku(pki: TestPki, name: string, issuer: CertKey, eku: string | null): CertKey {
  const dir = pki.dir;
  const keyFile = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const certFile = join(dir, `${name}.crt`);
  const ext = join(dir, `${name}.ext`);
  openssl(
    ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyFile],
    dir,
  );
  openssl(
    ['req', '-new', '-key', keyFile, '-subj', `/O=LLMrecon Test/CN=${name}`, '-out', csr],
    dir,
  );
  writeFileSync(
    ext,
    [
      '[v3]',
      'basicConstraints = critical, CA:FALSE',
      'keyUsage = critical, digitalSignature',
      ...(eku ? [`extendedKeyUsage = ${eku}`] : []),
      'authorityKeyIdentifier = keyid',
      '',
    ].join('\n'),
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      issuer.certFile,
      '-CAkey',
      issuer.keyFile,
      '-days',
      '30',
      '-set_serial',
      String(5000 + counter++),
      '-extfile',
      ext,
      '-extensions',
      'v3',
      '-out',
      certFile,
    ],
    dir,
  );
  const cert = readFileSync(certFile, 'utf8');
  return { cert, key: readFileSync(keyFile, 'utf8'), certFile, keyFile, pin: spkiPinOf(cert) };
}

/** Create OCSP fixtures on top of `pki`. */
export function createOcspFixtures(pki: TestPki): OcspFixtures {
  const other = pki.createCa(`Other${counter++}`);
  const responder = issueWithEku(
    pki,
    `ocsp-responder-${counter++}`,
    pki.intermediate,
    'OCSPSigning',
  );
  const responderNoEku = issueWithEku(
    pki,
    `ocsp-noeku-${counter++}`,
    pki.intermediate,
    'serverAuth',
  );
  const responderOtherCa = issueWithEku(
    pki,
    `ocsp-other-${counter++}`,
    other.intermediate,
    'OCSPSigning',
  );

  const respond = (o: OcspResponseOptions): Buffer => {
    const issuer = o.issuer ?? pki.intermediate;
    const signer = o.signer ?? issuer;
    const serial = new X509Certificate(o.cert.cert).serialNumber.toUpperCase();
    const id = counter++;
    const index = join(pki.dir, `ocsp-${id}.idx`);
    const out = join(pki.dir, `ocsp-${id}.der`);
    const lines: string[] = [];
    if (o.status === 'good') lines.push(`V\t301231235959Z\t\t${serial}\tunknown\t/CN=test`);
    if (o.status === 'revoked') {
      lines.push(`R\t301231235959Z\t240101000000Z,keyCompromise\t${serial}\tunknown\t/CN=test`);
    }
    writeFileSync(index, lines.map((l) => l + '\n').join(''));
    writeFileSync(index + '.attr', 'unique_subject = no\n');
    openssl(
      [
        'ocsp',
        '-index',
        index,
        '-CA',
        issuer.certFile,
        '-rsigner',
        signer.certFile,
        '-rkey',
        signer.keyFile,
        '-issuer',
        issuer.certFile,
        '-cert',
        o.cert.certFile,
        '-no_nonce',
        '-ndays',
        String(o.days ?? 1),
        ...(o.byKey ? ['-resp_key_id'] : []),
        '-respout',
        out,
      ],
      pki.dir,
    );
    return readFileSync(out);
  };

  const crl = (o: CrlOptions = {}): { pemFile: string; derFile: string } => {
    const signer = o.signer ?? pki.intermediate;
    const id = counter++;
    const index = join(pki.dir, `crl-${id}.idx`);
    const conf = join(pki.dir, `crl-${id}.cnf`);
    const pemFile = join(pki.dir, `crl-${id}.pem`);
    const derFile = join(pki.dir, `crl-${id}.der`);
    const lines = (o.revoked ?? []).map((c) => {
      const serial = new X509Certificate(c.cert).serialNumber.toUpperCase();
      return `R\t301231235959Z\t240101000000Z\t${serial}\tunknown\t/CN=test\n`;
    });
    writeFileSync(index, lines.join(''));
    writeFileSync(index + '.attr', 'unique_subject = no\n');
    writeFileSync(
      conf,
      [
        '[ca]',
        'default_ca = this',
        '[this]',
        `database = ${index}`,
        'default_md = sha256',
        `crlnumber = ${join(pki.dir, `crl-${id}.num`)}`,
        '',
      ].join('\n'),
    );
    writeFileSync(join(pki.dir, `crl-${id}.num`), '01\n');
    const fmt = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
    const last = o.lastUpdate ?? new Date(Date.now() - 3_600_000);
    const next = o.nextUpdate ?? new Date(Date.now() + 7 * 86_400_000);
    openssl(
      [
        'ca',
        '-gencrl',
        '-batch',
        '-config',
        conf,
        '-cert',
        signer.certFile,
        '-keyfile',
        signer.keyFile,
        '-crl_lastupdate',
        fmt(last),
        '-crl_nextupdate',
        fmt(next),
        '-out',
        pemFile,
      ],
      pki.dir,
    );
    openssl(['crl', '-in', pemFile, '-outform', 'DER', '-out', derFile], pki.dir);
    return { pemFile, derFile };
  };

  const expired = async (cert: CertKey, issuer: CertKey = pki.intermediate): Promise<Buffer> => {
    ensurePkijsEngine();
    const good = respond({ cert, status: 'good', issuer });
    const ocsp = pkijs.OCSPResponse.fromBER(good);
    const basic = pkijs.BasicOCSPResponse.fromBER(
      ocsp.responseBytes!.response.valueBlock.valueHexView,
    );
    const day = 86_400_000;
    basic.tbsResponseData.producedAt = new Date(Date.now() - 3 * day);
    for (const single of basic.tbsResponseData.responses) {
      single.thisUpdate = new Date(Date.now() - 3 * day);
      single.nextUpdate = new Date(Date.now() - 2 * day);
    }
    const pkcs8 = createPrivateKey(issuer.key).export({ type: 'pkcs8', format: 'der' });
    const key = await webcrypto.subtle.importKey(
      'pkcs8',
      pkcs8,
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['sign'],
    );
    await basic.sign(key as unknown as Parameters<pkijs.BasicOCSPResponse['sign']>[0], 'SHA-256');
    ocsp.responseBytes!.response = new asn1js.OctetString({
      valueHex: basic.toSchema().toBER(false),
    });
    return Buffer.from(ocsp.toSchema().toBER(false));
  };

  return {
    responder,
    responderNoEku,
    responderOtherCa,
    otherIntermediate: other.intermediate,
    respond,
    crl,
    expired,
  };
}
