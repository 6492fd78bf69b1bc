/** A manually advanced clock for deterministic tests of timers. Test-only. */
import type { Clock } from '../types';

interface Timer {
  at: number;
  fn: () => void;
  id: number;
}

/** A clock whose time moves only through `advance()`. */
export class ManualClock implements Clock {
  private timers: Timer[] = [];
  private nextId = 1;

  constructor(private time = 0) {}

  /** Current fake time. */
  now(): number {
    return this.time;
  }

  /** Schedule `fn` at now + ms. */
  setTimeout(fn: () => void, ms: number): unknown {
    const t = { at: this.time + Math.max(0, ms), fn, id: this.nextId++ };
    this.timers.push(t);
    return t.id;
  }

  /** Cancel a timer. */
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Move time forward, firing due timers in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers
        .filter((t) => t.at <= end)
        .sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = Math.max(this.time, due.at);
      due.fn();
    }
    this.time = end;
  }
}
