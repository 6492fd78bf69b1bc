/** Pure retry delay for segment retries: exponential backoff with full jitter (AWS style). */

/** Delay before retry number `attempt` (1-based): random in [0, min(max, initial·2^(attempt-1))]. */
export function segmentRetryDelayMs(
  attempt: number,
  initialDelayMs: number,
  maxDelayMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxDelayMs, initialDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}
