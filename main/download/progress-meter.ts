/**
 * Progress events for a download: smoothed speed (time-based EWMA), ETA and per-segment
 * ranges, emitted at most every `intervalMs` plus one guaranteed final event.
 */
import type { SegmentProgress } from '../../preload/contract';
import type { DownloadProgress } from './types';

/** What the meter reads on each emission. */
export interface ProgressSource {
  total(): number | null;
  downloaded(): number;
  segments(): SegmentProgress[];
}

/** Time constant of the speed EWMA: about the last few seconds weigh most. */
const SPEED_TAU_MS = 2000;

/** Throttled progress emitter. Call `add` for received bytes, `final` once at the end. */
export class ProgressMeter {
  private lastEmit = -Infinity;
  private lastSampleAt: number;
  private sampleBytes = 0;
  private speed = 0;
  private hasSpeed = false;
  private timer: NodeJS.Timeout | null = null;
  private finished = false;

  constructor(
    private readonly source: ProgressSource,
    private readonly emit: (progress: DownloadProgress) => void,
    private readonly intervalMs = 100,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.lastSampleAt = this.now();
  }

  /** Start the timer that keeps events (and a decaying speed) coming while bytes stall. */
  start(): void {
    if (this.timer || this.intervalMs <= 0) return;
    this.timer = setInterval(() => this.tick(), Math.max(this.intervalMs, 10));
    this.timer.unref();
  }

  /** Count received bytes and emit if the interval has passed. */
  add(bytes: number): void {
    this.sampleBytes += bytes;
    if (this.now() - this.lastEmit >= this.intervalMs) this.tick();
  }

  /** Emit now if the interval has passed. */
  tick(): void {
    if (this.finished) return;
    const t = this.now();
    if (t - this.lastEmit < this.intervalMs) return;
    this.lastEmit = t;
    this.safeEmit(this.snapshot(t));
  }

  /** Emit the final event (always, once) and stop the timer. */
  final(): void {
    if (this.finished) return;
    const snapshot = this.snapshot(this.now());
    this.stop();
    this.finished = true;
    this.safeEmit(snapshot);
  }

  /** Stop the timer without a final event. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The current smoothed bytes per second. */
  bytesPerSecond(): number {
    return this.speed;
  }

  private sample(t: number): void {
    const dt = t - this.lastSampleAt;
    if (dt <= 0) return;
    const rate = (this.sampleBytes * 1000) / dt;
    if (!this.hasSpeed) {
      this.speed = rate;
      this.hasSpeed = this.sampleBytes > 0;
    } else {
      const alpha = 1 - Math.exp(-dt / SPEED_TAU_MS);
      this.speed += alpha * (rate - this.speed);
    }
    this.sampleBytes = 0;
    this.lastSampleAt = t;
  }

  private snapshot(t: number): DownloadProgress {
    this.sample(t);
    const total = this.source.total();
    const downloaded = this.source.downloaded();
    const percent =
      total === null ? null : total === 0 ? 100 : Math.min(100, (downloaded / total) * 100);
    const speed = Math.max(0, Math.round(this.speed));
    const remaining = total === null ? null : Math.max(0, total - downloaded);
    const etaSeconds =
      remaining === null ? null : remaining === 0 ? 0 : speed > 0 ? remaining / speed : null;
    return {
      total,
      downloaded,
      percent,
      bytesPerSecond: speed,
      etaSeconds,
      segments: this.source.segments(),
    };
  }

  private safeEmit(progress: DownloadProgress): void {
    try {
      this.emit(progress);
    } catch {
      // An observer must not be able to break the download.
    }
  }
}
