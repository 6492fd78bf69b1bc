/**
 * Pure pin evaluation against the VERIFIED chain (leaf first, ending at the trust anchor).
 * Matching the chain verification built — never the list the server sent — is what defeats
 * the mixed-chain attack (CVE-2016-2402): an attacker leaf sent alongside a genuine pinned
 * intermediate does not chain to that intermediate, so the intermediate is not in the chain.
 */
import type { AppError } from '../errors';
import { dnEquals } from './distinguished-name';
import {
  PinMismatchError,
  PinSetExpiredError,
  SecureConnectionError,
  type PresentedCert,
} from './errors';
import type { EffectivePinPolicy } from './pin-registry';

/** What pin evaluation needs to know about one certificate of the verified chain. */
export interface ChainEntry {
  subject: string;
  issuer: string;
  pin: string;
}

/** Outcome of evaluating a pin policy. */
export interface PinCheckResult {
  /** 'none' when the host has no policy. */
  policy: 'enforced' | 'report-only' | 'none';
  matched: boolean;
  matchedPin: { pin: string; certIndex: number } | null;
  /** The failure, if any. It blocks the connection only when `blocking`. */
  error: AppError | null;
  blocking: boolean;
}

/** Evaluate `policy` (expiry already resolved by the registry) against a verified chain. Pure. */
export function checkPinPolicy(
  host: string,
  chain: ChainEntry[],
  policy: EffectivePinPolicy | null,
): PinCheckResult {
  if (!policy)
    return { policy: 'none', matched: false, matchedPin: null, error: null, blocking: false };
  const mode = policy.enforced ? 'enforced' : 'report-only';
  const fail = (error: AppError, blocking: boolean): PinCheckResult => ({
    policy: mode,
    matched: false,
    matchedPin: null,
    error,
    blocking,
  });
  const presented: PresentedCert[] = chain.map((c, index) => ({
    index,
    subject: c.subject,
    issuer: c.issuer,
    pin: c.pin,
  }));

  if (chain.length === 0) {
    // No verified chain (for example a resumed TLS session): nothing to match, fail closed.
    return fail(
      new SecureConnectionError(
        'ERR_TLS',
        `No verified certificate chain is available for ${host}; cannot check pins`,
      ),
      policy.enforced,
    );
  }
  if (policy.expired) {
    const blocking = !policy.expired.reportOnly;
    if (blocking || !policy.enforced)
      return fail(new PinSetExpiredError(host, policy.expired.expires), blocking);
  }
  const leaf = chain[0];
  for (const rule of policy.subjectRules) {
    if (!dnEquals(rule, leaf.subject)) {
      return fail(
        new SecureConnectionError(
          'ERR_CERT_SUBJECT',
          `Leaf subject "${leaf.subject}" of ${host} does not match the rule "${rule}"`,
          {
            details: { host, expected: rule, actual: leaf.subject },
          },
        ),
        policy.enforced,
      );
    }
  }
  for (const rule of policy.issuerRules) {
    if (!dnEquals(rule, leaf.issuer)) {
      return fail(
        new SecureConnectionError(
          'ERR_CERT_ISSUER',
          `Leaf issuer "${leaf.issuer}" of ${host} does not match the rule "${rule}"`,
          {
            details: { host, expected: rule, actual: leaf.issuer },
          },
        ),
        policy.enforced,
      );
    }
  }
  const wanted = new Set(policy.pins);
  const certIndex = chain.findIndex((c) => wanted.has(c.pin));
  if (certIndex < 0)
    return fail(new PinMismatchError(host, policy.pins, presented), policy.enforced);
  return {
    policy: mode,
    matched: true,
    matchedPin: { pin: chain[certIndex].pin, certIndex },
    error: null,
    blocking: false,
  };
}
