/**
 * Token buckets for bandwidth limits, in the "virtual scheduling" form (GCRA): a bucket
 * remembers when its budget is next free, so reserving n bytes is O(1) and tells the caller
 * how long to wait. Limits change at runtime: debt already reserved is rescaled to the new
 * rate, so a transfer slows down or speeds up at once without being restarted.
 */

/** A rate limit in bytes per second; null means unlimited. */
export type Rate = number | null;

/** One token bucket. */
export class TokenBucket {
  private rate: Rate;
  /** Time (ms) at which all reserved bytes will have been paid for. */
  private paidUntil = 0;
  private readonly burstMs: number;

  /**
   * @param rate bytes/s or null for unlimited
   * @param burstMs how much unused budget may accumulate (smooths timer jitter)
   */
  constructor(
    rate: Rate,
    burstMs = 50,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.rate = validRate(rate);
    this.burstMs = burstMs;
  }

  /** Current limit. */
  get limit(): Rate {
    return this.rate;
  }

  /** Change the limit now; reservations already made are rescaled to the new rate. */
  setLimit(rate: Rate): void {
    const next = validRate(rate);
    const t = this.now();
    if (this.rate !== null && next !== null && this.paidUntil > t) {
      this.paidUntil = t + ((this.paidUntil - t) * this.rate) / next;
    } else if (next === null || this.rate === null) {
      this.paidUntil = t;
    }
    this.rate = next;
  }

  /** Reserve `bytes`; returns how many ms to wait before using them (0 = now). */
  reserve(bytes: number): number {
    if (this.rate === null || bytes <= 0) return 0;
    const t = this.now();
    // Unused budget older than burstMs is forfeited, so an idle bucket cannot save up a
    // large burst that would overshoot the limit later.
    const start = Math.max(this.paidUntil, t - this.burstMs);
    this.paidUntil = start + (bytes * 1000) / this.rate;
    return Math.max(0, this.paidUntil - t);
  }
}

function validRate(rate: Rate): Rate {
  if (rate === null) return null;
  if (!Number.isFinite(rate) || rate <= 0) {
    throw new RangeError(`A bandwidth limit must be a positive number of bytes/s (got ${rate})`);
  }
  return rate;
}

/**
 * A per-job budget shared by all of a job's transfers (e.g. the segments of one download):
 * pass the same group as `SecureRequestInit.throttle` to every request of the job.
 */
export class ThrottleGroup extends TokenBucket {
  constructor(
    rate: Rate,
    readonly name = 'job',
  ) {
    super(rate);
  }
}

/** Parse a curl-style rate: `10M`, `512K`, `1.5m`, `2G`, `800` (bytes/s; K = 1024). */
export function parseRate(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?(?:\/s)?\s*$/i.exec(text);
  if (!m)
    throw new RangeError(`Invalid rate "${text}": use a number with an optional K, M or G suffix`);
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[
    m[2].toLowerCase() as '' | 'k' | 'm' | 'g'
  ];
  const value = Math.round(Number(m[1]) * mult);
  if (value <= 0) throw new RangeError(`Invalid rate "${text}": must be positive`);
  return value;
}
