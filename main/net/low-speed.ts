/**
 * Minimum transfer rate of a response body (curl's `--speed-limit` / `--speed-time`). The
 * idle timeout alone lets a server drip one byte just under it forever; this check fails a
 * body that receives fewer than `bytesPerSecond * windowMs / 1000` bytes in any window.
 *
 * The window only counts time spent WAITING ON THE NETWORK. Time in which we ourselves do not
 * read — our bandwidth throttle or a slow consumer filled the body buffer, so Node paused the
 * socket and TCP slowed the sender — is excluded, exactly like the idle timeout excludes it.
 */
import type { LowSpeedLimit } from './types';
import { TimeoutError } from './errors';
import { ThrottleGroup } from './throttle-bucket';

/** A body that stayed below the minimum transfer rate (ERR_TIMEOUT, phase 'lowSpeed', retryable). */
export class LowSpeedError extends TimeoutError {
  constructor(limit: LowSpeedLimit, received: number, url?: string) {
    super('lowSpeed', limit.windowMs, url);
    this.message =
      `Transfer too slow: ${received} bytes in ${limit.windowMs} ms of waiting, below the ` +
      `minimum of ${limit.bytesPerSecond} bytes/s${url ? ` (${url})` : ''}`;
  }
}

/** Whether a limit is switched on (either field 0 disables it). */
export function lowSpeedEnabled(l: LowSpeedLimit | undefined): l is LowSpeedLimit {
  return !!l && l.bytesPerSecond > 0 && l.windowMs > 0;
}

/**
 * The floor actually enforced under a bandwidth cap of `capBps` (null = unthrottled). A user
 * limit below the floor must never kill a transfer, so the floor is clamped to half the cap
 * (the pause accounting in the monitor already excludes throttled time; this is the backstop).
 */
export function effectiveFloor(bytesPerSecond: number, capBps: number | null): number {
  if (capBps === null || !(capBps > 0)) return bytesPerSecond;
  return Math.min(bytesPerSecond, capBps / 2);
}

/** The tightest bandwidth cap a body is paced by: client-wide limit and the job's group. */
export function bandwidthCapOf(bandwidthLimit: number | null, throttle: unknown): number | null {
  const group = throttle instanceof ThrottleGroup ? throttle.limit : null;
  if (bandwidthLimit === null) return group;
  if (group === null) return bandwidthLimit;
  return Math.min(bandwidthLimit, group);
}

/** Tick length of the monitor for a window: ~10 samples per window, 50 ms to 1 s. */
export function lowSpeedTickMs(windowMs: number): number {
  return Math.min(1000, Math.max(50, Math.floor(windowMs / 10)));
}

/**
 * Sliding window over samples of (time spent waiting on the network, bytes received). Pure:
 * the caller feeds it; `add` answers whether a full window stayed below the floor.
 */
export class LowSpeedMeter {
  private readonly samples: { ms: number; bytes: number }[] = [];
  private totalMs = 0;
  private totalBytes = 0;

  constructor(private readonly windowMs: number) {}

  /** Bytes received in the current window. */
  get bytes(): number {
    return this.totalBytes;
  }

  /** Record one sample; true when at least one full window received fewer than the floor. */
  add(activeMs: number, bytes: number, floorBps: number): boolean {
    this.samples.push({ ms: activeMs, bytes });
    this.totalMs += activeMs;
    this.totalBytes += bytes;
    // Keep the shortest suffix of samples that still covers the window.
    while (this.samples.length > 1 && this.totalMs - this.samples[0]!.ms >= this.windowMs) {
      const s = this.samples.shift()!;
      this.totalMs -= s.ms;
      this.totalBytes -= s.bytes;
    }
    if (this.totalMs < this.windowMs) return false;
    return this.totalBytes < (floorBps * this.windowMs) / 1000;
  }
}
