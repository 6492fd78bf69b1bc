/**
 * pkijs plumbing shared by the OCSP and CRL modules: the crypto engine, conversions from
 * Node's X509Certificate, and signature verification through Node's OpenSSL.
 */
import {
  createPublicKey,
  verify as cryptoVerify,
  webcrypto,
  type X509Certificate,
} from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

type EngineCrypto = ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'];

let engineReady = false;

/** Install Node's WebCrypto as the pkijs engine once per process (pkijs has no default in Node). */
export function ensurePkijsEngine(): void {
  if (engineReady) return;
  pkijs.setEngine(
    'node',
    new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as EngineCrypto }),
  );
  engineReady = true;
}

/** Parse DER bytes with asn1js and a pkijs class, turning failures into `null`. */
export function parseDer<T>(der: Uint8Array, build: (schema: asn1js.AsnType) => T): T | null {
  try {
    const asn = asn1js.fromBER(der);
    if (asn.offset === -1) return null;
    return build(asn.result);
  } catch {
    return null;
  }
}

/** A Node certificate as a pkijs Certificate. */
export function toPkijsCertificate(cert: X509Certificate): pkijs.Certificate {
  return pkijs.Certificate.fromBER(cert.raw);
}

/** Hash names for the signature algorithms we accept on OCSP responses and CRLs. */
const SIGNATURE_HASHES: Record<string, string | null> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.3.101.112': null, // Ed25519
  '1.3.101.113': null, // Ed448
};

/**
 * Verify `signature` over `data` with the SPKI of `signerDer`'s certificate (or a raw SPKI).
 * Signature math runs in Node's OpenSSL; pkijs only supplies the parsed structures.
 * Unsupported algorithms (e.g. RSA-PSS) verify as false, which callers treat as invalid.
 */
export function verifySignature(
  algorithmOid: string,
  data: Uint8Array,
  signature: Uint8Array,
  spkiDer: Uint8Array,
): boolean {
  if (!(algorithmOid in SIGNATURE_HASHES)) return false;
  try {
    const key = createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
    return cryptoVerify(SIGNATURE_HASHES[algorithmOid], data, key, signature);
  } catch {
    return false;
  }
}

/** DER SubjectPublicKeyInfo of a Node certificate. */
export function spkiOf(cert: X509Certificate): Buffer {
  return cert.publicKey.export({ type: 'spki', format: 'der' });
}

/** WebCrypto hash name for a CertID hash algorithm OID. */
export function hashNameOf(oid: string): string | null {
  const names: Record<string, string> = {
    '1.3.14.3.2.26': 'SHA-1',
    '2.16.840.1.101.3.4.2.1': 'SHA-256',
    '2.16.840.1.101.3.4.2.2': 'SHA-384',
    '2.16.840.1.101.3.4.2.3': 'SHA-512',
  };
  return names[oid] ?? null;
}
