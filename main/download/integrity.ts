/**
 * Expected digests (hex or SRI base64), streaming hashers and constant-time comparison.
 * The comparison uses crypto.timingSafeEqual so a mismatch leaks nothing about how many
 * leading bytes matched (relevant when an attacker can submit many candidate files).
 */
import { createHash, timingSafeEqual, type Hash } from 'node:crypto';
import { AppError } from '../errors';

/** Digest algorithms the downloader verifies. */
export type DigestAlgorithm = 'sha256' | 'sha512';

/** A parsed expected digest. */
export interface ExpectedDigest {
  algorithm: DigestAlgorithm;
  digest: Buffer;
}

const DIGEST_BYTES: Record<DigestAlgorithm, number> = { sha256: 32, sha512: 64 };

/** Raised for a checksum that is not valid hex or SRI of the right length. */
export class InvalidHashError extends AppError {
  constructor(message: string) {
    super('ERR_INVALID_HASH', message);
  }
}

/**
 * Parse `hex`, `sha256-BASE64` / `sha512-BASE64` (SRI) or `sha256:hex`. With `algorithm`
 * given, the value must be of that algorithm; without, hex length decides (64 / 128).
 */
export function parseExpectedDigest(value: string, algorithm?: DigestAlgorithm): ExpectedDigest {
  const text = value.trim();
  const sri = /^(sha256|sha512)-([A-Za-z0-9+/]+={0,2})$/.exec(text);
  const prefixed = /^(sha256|sha512):([0-9a-fA-F]+)$/.exec(text);
  let algo: DigestAlgorithm;
  let digest: Buffer;
  if (sri) {
    algo = sri[1] as DigestAlgorithm;
    digest = Buffer.from(sri[2], 'base64');
    if (digest.toString('base64').replace(/=+$/, '') !== sri[2].replace(/=+$/, '')) {
      throw new InvalidHashError('The SRI digest is not valid base64.');
    }
  } else {
    const hex = prefixed ? prefixed[2] : text;
    if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length % 2 !== 0) {
      throw new InvalidHashError('A checksum must be hex or SRI (sha256-<base64>).');
    }
    if (prefixed) algo = prefixed[1] as DigestAlgorithm;
    else if (algorithm) algo = algorithm;
    else if (hex.length === 64) algo = 'sha256';
    else if (hex.length === 128) algo = 'sha512';
    else
      throw new InvalidHashError(
        `A hex checksum of ${hex.length} characters is neither sha256 nor sha512.`,
      );
    digest = Buffer.from(hex, 'hex');
  }
  if (algorithm && algo !== algorithm) {
    throw new InvalidHashError(`Expected a ${algorithm} checksum but got ${algo}.`);
  }
  if (digest.length !== DIGEST_BYTES[algo]) {
    throw new InvalidHashError(
      `A ${algo} digest has ${DIGEST_BYTES[algo]} bytes, not ${digest.length}.`,
    );
  }
  return { algorithm: algo, digest };
}

/** Constant-time equality of two digests (false on length mismatch, without early exit on content). */
export function digestsEqual(a: Buffer, b: Buffer): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

/** Hashes the file bytes in order: always sha256, plus sha512 when it is the expected algorithm. */
export class FileHasher {
  private readonly sha256: Hash = createHash('sha256');
  private readonly sha512: Hash | null;
  /** Bytes hashed so far. */
  position = 0;

  constructor(withSha512: boolean) {
    this.sha512 = withSha512 ? createHash('sha512') : null;
  }

  /** Feed the next contiguous bytes. */
  update(chunk: Buffer): void {
    this.sha256.update(chunk);
    this.sha512?.update(chunk);
    this.position += chunk.length;
  }

  /** Finish: the raw digests. */
  digest(): { sha256: Buffer; sha512: Buffer | null } {
    return { sha256: this.sha256.digest(), sha512: this.sha512 ? this.sha512.digest() : null };
  }
}
