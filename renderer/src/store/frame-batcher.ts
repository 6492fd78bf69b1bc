/**
 * Coalesces bursts of events into at most one store update per animation frame. Job
 * batches from main already arrive at ≤10/s, but after a reconnect or with many logs
 * several can land within one frame; applying each would re-render the list each time.
 * The merge is pure and tested; the scheduler is injected (rAF in the browser).
 */
import type { EventPayloads, JobSnapshot } from '../../../preload/contract';

/** A job batch as delivered by `jobs:batch`. */
export type JobBatch = EventPayloads['jobs:batch'];

/** Merge batch `b` (later) into `a`: newest snapshot per id wins; removal is final. Pure. */
export function mergeBatches(a: JobBatch, b: JobBatch): JobBatch {
  const byId = new Map<string, JobSnapshot>(a.jobs.map((j) => [j.id, j]));
  const removed = new Set(a.removed);
  for (const j of b.jobs) {
    const prev = byId.get(j.id);
    if (!prev || prev.updatedAt <= j.updatedAt) byId.set(j.id, j);
    removed.delete(j.id);
  }
  for (const id of b.removed) {
    byId.delete(id);
    removed.add(id);
  }
  return { jobs: [...byId.values()], removed: [...removed] };
}

/** Schedules a callback for the next frame; returns nothing (one pending flush at a time). */
export type FrameScheduler = (cb: () => void) => void;

/**
 * The browser scheduler: the next animation frame, or 250 ms if frames are not running
 * (a hidden window does not paint, but the store should still stay close to current).
 */
export const browserFrameScheduler: FrameScheduler = (cb) => {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    cb();
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(run);
  setTimeout(run, 250);
};

/** A batcher: `push` values, and `apply` receives them merged once per frame. */
export function createFrameBatcher<T>(
  merge: (acc: T, next: T) => T,
  apply: (merged: T) => void,
  schedule: FrameScheduler = browserFrameScheduler,
): { push(value: T): void; flush(): void; pending(): boolean } {
  let acc: T | undefined;
  let has = false;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (!has) return;
    const value = acc as T;
    acc = undefined;
    has = false;
    apply(value);
  };
  return {
    push(value) {
      acc = has ? merge(acc as T, value) : value;
      has = true;
      if (!scheduled) {
        scheduled = true;
        schedule(flush);
      }
    },
    flush,
    pending: () => has,
  };
}
