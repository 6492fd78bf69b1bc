/**
 * A bounded in-memory cache of verified OCSP answers, keyed by issuer key and serial, each
 * kept until its nextUpdate. Answers without nextUpdate are never cached (RFC 6960 §4.2.2.1:
 * newer information is then available at any time).
 */
import { createHash, type X509Certificate } from 'node:crypto';
import type { VerifiedOcsp } from './ocsp-verify';

/** Cache key of a leaf: SHA-256 of the issuer SPKI plus the leaf serial. */
export function ocspCacheKey(leaf: X509Certificate, issuer: X509Certificate): string {
  const spki = issuer.publicKey.export({ type: 'spki', format: 'der' });
  return `${createHash('sha256').update(spki).digest('base64')}:${leaf.serialNumber}`;
}

/** Verified answers until their nextUpdate, at most `maxEntries` (oldest evicted first). */
export class OcspCache {
  private readonly entries = new Map<string, { info: VerifiedOcsp; until: number }>();

  constructor(
    private readonly maxEntries = 256,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached answer for `key`, or undefined if none or past its nextUpdate. */
  get(key: string): VerifiedOcsp | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.info;
  }

  /** Remember `info` until its nextUpdate; ignores answers without one. */
  set(key: string, info: VerifiedOcsp): void {
    if (!info.nextUpdate) return;
    const until = Date.parse(info.nextUpdate);
    if (!(until > this.now())) return;
    this.entries.delete(key);
    this.entries.set(key, { info, until });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  /** Number of live entries (expired ones may still count until read). */
  get size(): number {
    return this.entries.size;
  }

  /** Drop everything, e.g. when trust settings change. */
  clear(): void {
    this.entries.clear();
  }
}
