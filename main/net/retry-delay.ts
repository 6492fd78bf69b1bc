/**
 * Pure retry-delay computation: exponential backoff with full random jitter (AWS style:
 * delay = random() × min(max, initial × 2^(n−1))), overridden by a server's Retry-After
 * (delta-seconds or HTTP-date) up to a cap.
 */

/** Inputs of {@link computeRetryDelay}. */
export interface RetryDelayInput {
  /** 1 for the first retry, 2 for the second… */
  retry: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** Raw Retry-After header, if the response carried one. */
  retryAfter?: string | null;
  /** Cap on a Retry-After wait. */
  maxRetryAfterMs: number;
  /** Current time in ms (for HTTP-date Retry-After). */
  now: number;
  /** Uniform random in [0, 1). */
  random: () => number;
}

// RFC 9110 §5.6.7: IMF-fixdate, plus the obsolete RFC 850 and asctime forms.
const HTTP_DATE = [
  /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/,
  /^[A-Z][a-z]+, \d{2}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2} GMT$/,
  /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/,
];

/** Parse Retry-After into ms from `now`; null when absent or unparseable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (value == null) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (!HTTP_DATE.some((re) => re.test(v))) return null;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}

/** Milliseconds to wait before retry number `retry`. */
export function computeRetryDelay(input: RetryDelayInput): number {
  const retryAfter = parseRetryAfter(input.retryAfter, input.now);
  if (retryAfter !== null) return Math.min(retryAfter, input.maxRetryAfterMs);
  const exp = Math.min(input.maxDelayMs, input.initialDelayMs * 2 ** Math.max(0, input.retry - 1));
  return Math.floor(input.random() * exp);
}
