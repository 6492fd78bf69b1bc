/**
 * Certificate description shared by the client's connection facts, the inspector UI and the
 * `pin` CLI command: subject, issuer, validity, serial, SANs, key type and size, SPKI pin and
 * SHA-256 fingerprint of each certificate.
 */
import { createHash, type X509Certificate } from 'node:crypto';
import type { CertificateInfo } from '../../preload/contract';
import { normalizeDn } from './distinguished-name';

const DAY_MS = 86_400_000;

/** `sha256/BASE64` of the certificate's SubjectPublicKeyInfo (DER). */
export function spkiPin(cert: X509Certificate): string {
  const spki = cert.publicKey.export({ type: 'spki', format: 'der' });
  return 'sha256/' + createHash('sha256').update(spki).digest('base64');
}

/** Subject alternative names as `DNS:x` / `IP Address:y` strings. */
export function subjectAltNames(cert: X509Certificate): string[] {
  const raw = cert.subjectAltName;
  if (!raw) return [];
  return raw.split(/,\s*/).filter((s) => s.length > 0);
}

function keyDescription(cert: X509Certificate): { keyType: string; keySize: number | null } {
  const key = cert.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  const type = key.asymmetricKeyType ?? 'unknown';
  if (type === 'rsa' || type === 'rsa-pss' || type === 'dsa') {
    return { keyType: type.toUpperCase(), keySize: details.modulusLength ?? null };
  }
  if (type === 'ec') {
    const curve = details.namedCurve ?? 'unknown';
    const sizes: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521 };
    return {
      keyType: `EC (${curve === 'prime256v1' ? 'P-256' : curve})`,
      keySize: sizes[curve] ?? null,
    };
  }
  if (type === 'ed25519') return { keyType: 'Ed25519', keySize: 256 };
  if (type === 'ed448') return { keyType: 'Ed448', keySize: 456 };
  return { keyType: type, keySize: null };
}

/** Describe one certificate for the inspector (days left computed against `now`). */
export function describeCertificate(cert: X509Certificate, now = Date.now()): CertificateInfo {
  const validTo = new Date(cert.validTo);
  return {
    subject: normalizeDn(cert.subject),
    issuer: normalizeDn(cert.issuer),
    serialNumber: cert.serialNumber.toUpperCase(),
    validFrom: new Date(cert.validFrom).toISOString(),
    validTo: validTo.toISOString(),
    daysLeft: Math.floor((validTo.getTime() - now) / DAY_MS),
    sans: subjectAltNames(cert),
    ...keyDescription(cert),
    spkiPin: spkiPin(cert),
    fingerprint256: cert.fingerprint256,
    isCA: cert.ca,
  };
}

/** Describe a chain, leaf first. */
export function describeChain(chain: X509Certificate[], now = Date.now()): CertificateInfo[] {
  return chain.map((c) => describeCertificate(c, now));
}

/** Human-readable multi-line rendering of a chain (used by the CLI). */
export function formatChain(chain: CertificateInfo[]): string {
  return chain
    .map((c, i) =>
      [
        `[${i}] ${c.subject}${c.isCA ? '  (CA)' : ''}`,
        `    issuer:      ${c.issuer}`,
        `    valid:       ${c.validFrom} → ${c.validTo} (${c.daysLeft} days left)`,
        `    serial:      ${c.serialNumber}`,
        ...(c.sans.length ? [`    SANs:        ${c.sans.join(', ')}`] : []),
        `    key:         ${c.keyType}${c.keySize ? ` ${c.keySize} bits` : ''}`,
        `    sha256 fp:   ${c.fingerprint256}`,
        `    pin:         ${c.spkiPin}`,
      ].join('\n'),
    )
    .join('\n');
}
