/**
 * The demo feed's own tiny PKI, made in pure Node (WebCrypto + @peculiar/x509): a CA and
 * a loopback leaf (localhost, 127.0.0.1), ECDSA P-256, kept in the state dir.
 */
import 'reflect-metadata';
import { createHash, webcrypto, X509Certificate as NodeX509 } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/** The demo PKI as PEM text. */
export interface DemoPki {
  caCert: string;
  leafCert: string;
  leafKey: string;
  /** `sha256/BASE64` SPKI pin of the leaf. */
  leafPin: string;
}

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64.trimEnd()}\n-----END ${label}-----\n`;
}

/** SPKI pin of a PEM certificate. */
export function spkiPin(certPem: string): string {
  const spki = new NodeX509(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return 'sha256/' + createHash('sha256').update(spki).digest('base64');
}

const NAME_CONSTRAINTS_OID = '2.5.29.30';
/**
 * DER of NameConstraints { permittedSubtrees: [ dNSName "localhost", iPAddress 127.0.0.1/32 ] }
 * (RFC 5280 §4.2.1.10). @peculiar/x509 has no class for it, so the bytes are spelled out.
 */
const LOOPBACK_NAME_CONSTRAINTS = new Uint8Array([
  0x30, 0x1b, 0xa0, 0x19, 0x30, 0x0b, 0x82, 0x09, 0x6c, 0x6f, 0x63, 0x61, 0x6c, 0x68, 0x6f, 0x73,
  0x74, 0x30, 0x0a, 0x87, 0x08, 0x7f, 0x00, 0x00, 0x01, 0xff, 0xff, 0xff, 0xff,
]).buffer;

/** Make a CA (10 years) and a loopback leaf (2 years) signed by it. */
export async function createDemoPki(): Promise<DemoPki> {
  const crypto = webcrypto;
  x509.cryptoProvider.set(crypto as never);
  const now = Date.now();
  const day = 86_400_000;
  const caKeys = (await crypto.subtle.generateKey(alg, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: 'CN=LLMrecon Demo Feed CA (local), O=LLMrecon Update Manager',
    notBefore: new Date(now - day),
    notAfter: new Date(now + 3650 * day),
    keys: caKeys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
      // The app trusts this CA, so it must never be able to vouch for anything but loopback:
      // a critical nameConstraints extension limits it to localhost and 127.0.0.1/32.
      new x509.Extension(NAME_CONSTRAINTS_OID, true, LOOPBACK_NAME_CONSTRAINTS),
    ],
  });
  const leafKeys = (await crypto.subtle.generateKey(alg, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: 'CN=localhost, O=LLMrecon Demo Feed',
    issuer: ca.subject,
    notBefore: new Date(now - day),
    notAfter: new Date(now + 730 * day),
    publicKey: leafKeys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const caCert = ca.toString('pem') + '\n';
  const leafCert = leaf.toString('pem') + '\n';
  const leafKey = pem('PRIVATE KEY', await crypto.subtle.exportKey('pkcs8', leafKeys.privateKey));
  return { caCert, leafCert, leafKey, leafPin: spkiPin(leafCert) };
}

function randomSerial(): string {
  const b = webcrypto.getRandomValues(new Uint8Array(12));
  b[0] &= 0x7f;
  return Buffer.from(b).toString('hex');
}
