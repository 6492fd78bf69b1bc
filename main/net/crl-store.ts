/**
 * User-supplied certificate revocation lists (PEM or DER files), parsed with pkijs.
 *
 * A CRL counts only for certificates whose issuer name matches the CRL's issuer, and only
 * after its signature verifies with that issuer's key from the verified chain: a CRL anyone
 * could have written would otherwise let an attacker claim "not revoked". A serial listed
 * in a verified CRL is revoked even if the CRL is past nextUpdate (revocation is final);
 * a stale CRL that does not list the serial proves nothing.
 */
import type { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as pkijs from 'pkijs';
import { InvalidArgumentError } from '../errors';
import { parseDer, spkiOf, toPkijsCertificate, verifySignature } from './ocsp-pkijs';
import { DEFAULT_OCSP_SKEW_MS } from './ocsp-verify';

/** What the loaded CRLs say about one certificate. */
export type CrlVerdict =
  | { kind: 'none' }
  | { kind: 'good'; thisUpdate: string; nextUpdate: string | null; file: string }
  | { kind: 'revoked'; revokedAt: string | null; file: string }
  | { kind: 'invalid'; reason: string; file: string };

interface LoadedCrl {
  file: string;
  crl: pkijs.CertificateRevocationList;
}

const PEM_RE = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/g;

/** Parse every CRL in `data` (one DER CRL, or one or more PEM blocks). */
export function parseCrls(data: Buffer, file: string): pkijs.CertificateRevocationList[] {
  const text = data.toString('latin1');
  const ders = text.includes('-----BEGIN X509 CRL-----')
    ? [...text.matchAll(PEM_RE)].map((m) => Buffer.from(m[1].replace(/\s+/g, ''), 'base64'))
    : [data];
  return ders.map((der) => {
    const crl = parseDer(der, (s) => new pkijs.CertificateRevocationList({ schema: s }));
    if (!crl)
      throw new InvalidArgumentError(`${file} is not a readable CRL (PEM or DER).`, { file });
    return crl;
  });
}

/** A set of CRLs loaded from files, checked against verified chains. */
export class CrlStore {
  private constructor(private readonly crls: LoadedCrl[]) {}

  /** Read and parse `files` now, so a bad path or file fails when configured. */
  static fromFiles(files: readonly string[]): CrlStore {
    const crls: LoadedCrl[] = [];
    for (const file of files) {
      let data: Buffer;
      try {
        data = readFileSync(file);
      } catch (err) {
        throw new InvalidArgumentError(`Cannot read CRL file ${file}: ${(err as Error).message}`, {
          file,
        });
      }
      for (const crl of parseCrls(data, file)) crls.push({ file, crl });
    }
    return new CrlStore(crls);
  }

  /** Number of CRLs loaded. */
  get size(): number {
    return this.crls.length;
  }

  /** The verdict of the loaded CRLs on `leaf`, whose issuer (from the verified chain) is `issuer`. */
  check(leaf: X509Certificate, issuer: X509Certificate, now = Date.now()): CrlVerdict {
    const leafPkijs = toPkijsCertificate(leaf);
    let verdict: CrlVerdict = { kind: 'none' };
    for (const { file, crl } of this.crls) {
      if (!crl.issuer.isEqual(leafPkijs.issuer)) continue;
      const signed = verifySignature(
        crl.signatureAlgorithm.algorithmId,
        crl.tbsView,
        crl.signatureValue.valueBlock.valueHexView,
        spkiOf(issuer),
      );
      if (!signed) {
        if (verdict.kind !== 'good')
          verdict = { kind: 'invalid', reason: `CRL ${file} is not signed by the issuer`, file };
        continue;
      }
      const entry = (crl.revokedCertificates ?? []).find((r) =>
        r.userCertificate.isEqual(leafPkijs.serialNumber),
      );
      if (entry) {
        return { kind: 'revoked', revokedAt: entry.revocationDate.value.toISOString(), file };
      }
      const thisUpdate = crl.thisUpdate.value;
      const nextUpdate = crl.nextUpdate?.value ?? null;
      if (thisUpdate.getTime() > now + DEFAULT_OCSP_SKEW_MS) {
        if (verdict.kind !== 'good')
          verdict = { kind: 'invalid', reason: `CRL ${file} is not valid yet`, file };
      } else if (nextUpdate && nextUpdate.getTime() < now - DEFAULT_OCSP_SKEW_MS) {
        if (verdict.kind !== 'good')
          verdict = { kind: 'invalid', reason: `CRL ${file} is stale`, file };
      } else {
        verdict = {
          kind: 'good',
          thisUpdate: thisUpdate.toISOString(),
          nextUpdate: nextUpdate ? nextUpdate.toISOString() : null,
          file,
        };
      }
    }
    return verdict;
  }
}
