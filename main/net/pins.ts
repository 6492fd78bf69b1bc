/**
 * Pin parsing. A pin is the SHA-256 of a certificate's SubjectPublicKeyInfo, base64 encoded.
 * Three spellings are accepted and normalised to OkHttp's `sha256/BASE64`:
 * `sha256/BASE64` (OkHttp), `sha256//BASE64` (curl --pinnedpubkey) and bare base64 (the seed).
 */
import { InvalidPinError } from './errors';

const BASE64_SHA256 = /^[A-Za-z0-9+/]{43}=$/;

/** Normalise a pin to `sha256/BASE64`; throws InvalidPinError (ERR_INVALID_PIN) if malformed. */
export function normalizePin(input: string): string {
  const raw = input.trim();
  let b64 = raw;
  // A digest may itself start with '/', so `sha256//…` is only curl's form when the rest is
  // a whole digest; otherwise it is OkHttp's `sha256/` followed by a digest starting with '/'.
  if (/^sha256\//i.test(raw)) b64 = BASE64_SHA256.test(raw.slice(7)) ? raw.slice(7) : raw.slice(8);
  else if (!BASE64_SHA256.test(raw) && /^(sha|md|ripemd|blake)[0-9a-z-]*\//i.test(raw)) {
    // Bare base64 may contain '/', so only a recognisable algorithm prefix is rejected as such.
    throw new InvalidPinError(
      `Unsupported pin algorithm in "${raw}"; only sha256/ pins are accepted`,
      {
        pin: raw,
      },
    );
  }
  if (!BASE64_SHA256.test(b64) || Buffer.from(b64, 'base64').length !== 32) {
    throw new InvalidPinError(
      `Malformed pin "${raw}": expected sha256/ followed by 44 base64 characters (a SHA-256 digest)`,
      { pin: raw },
    );
  }
  return `sha256/${b64}`;
}

/** True if `input` is a well-formed pin in any accepted spelling. */
export function isValidPin(input: string): boolean {
  try {
    normalizePin(input);
    return true;
  } catch {
    return false;
  }
}
