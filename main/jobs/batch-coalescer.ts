/**
 * Coalesces job changes into `jobs:batch` events: however many jobs change, and however
 * often, at most one batch leaves per interval (100 ms by default, i.e. ≤ 10 per second).
 */
import type { JobSnapshot } from '../../preload/contract';
import type { Clock } from './types';

/** Options of {@link BatchCoalescer}. */
export interface BatchCoalescerOptions {
  clock: Clock;
  intervalMs: number;
  /** Current snapshot of a job, or null if it no longer exists. */
  snapshot: (id: string) => JobSnapshot | null;
  emit: (batch: { jobs: JobSnapshot[]; removed: string[] }) => void;
}

/** Collects changed and removed job ids and emits them as rate-limited batches. */
export class BatchCoalescer {
  private readonly changed = new Set<string>();
  private readonly removed = new Set<string>();
  private timer: unknown = null;
  private lastEmit = Number.NEGATIVE_INFINITY;

  constructor(private readonly opts: BatchCoalescerOptions) {}

  /** Mark a job as changed. */
  touch(id: string): void {
    this.removed.delete(id);
    this.changed.add(id);
    this.schedule();
  }

  /** Mark a job as removed. */
  remove(id: string): void {
    this.changed.delete(id);
    this.removed.add(id);
    this.schedule();
  }

  /** Emit whatever is pending right now, ignoring the rate limit (used on close). */
  flush(): void {
    if (this.timer !== null) {
      this.opts.clock.clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.changed.size === 0 && this.removed.size === 0) return;
    const jobs: JobSnapshot[] = [];
    for (const id of this.changed) {
      const snap = this.opts.snapshot(id);
      if (snap) jobs.push(snap);
    }
    const removed = [...this.removed];
    this.changed.clear();
    this.removed.clear();
    this.lastEmit = this.opts.clock.now();
    this.opts.emit({ jobs, removed });
  }

  /** Stop the timer without emitting. */
  dispose(): void {
    if (this.timer !== null) this.opts.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer !== null) return;
    const wait = Math.max(0, this.lastEmit + this.opts.intervalMs - this.opts.clock.now());
    this.timer = this.opts.clock.setTimeout(() => {
      this.timer = null;
      this.flush();
    }, wait);
  }
}
