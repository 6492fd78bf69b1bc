/**
 * Taskbar / dock progress for the overall download, fed by the coalesced `jobs:batch`
 * events. The bar shows the byte-weighted progress of all unfinished jobs; it is
 * indeterminate while any of them has no known size yet, "paused" when all are paused,
 * and removed when nothing is in flight.
 */
import type { BrowserWindow, ProgressBarOptions } from 'electron';
import type { JobSnapshot, JobState } from '../../preload/contract';
import type { EventHub } from '../core/services';

const FINISHED: ReadonlySet<JobState> = new Set(['completed', 'failed', 'canceled']);

/** The bar's value (`-1` none, `2` indeterminate, else 0…1) and mode. */
export interface OverallProgress {
  value: number;
  mode: NonNullable<ProgressBarOptions['mode']>;
}

/** Compute the overall progress of a set of jobs. */
export function overallProgress(jobs: Iterable<JobSnapshot>): OverallProgress {
  let total = 0;
  let done = 0;
  let active = 0;
  let paused = 0;
  let unknownSize = false;
  for (const job of jobs) {
    if (FINISHED.has(job.state)) continue;
    active++;
    if (job.state === 'paused') paused++;
    if (job.total === null) unknownSize = true;
    else {
      total += job.total;
      done += Math.min(job.downloaded, job.total);
    }
  }
  if (active === 0) return { value: -1, mode: 'none' };
  if (unknownSize || total === 0) return { value: 2, mode: 'indeterminate' };
  return { value: done / total, mode: paused === active ? 'paused' : 'normal' };
}

/** Follow `jobs:batch` events and drive `setProgressBar` (only when the value changes). */
export function setupTaskbarProgress(
  events: EventHub,
  getWindow: () => Pick<BrowserWindow, 'setProgressBar' | 'isDestroyed'> | null,
  onChange: (progress: OverallProgress) => void = () => {},
): () => void {
  const jobs = new Map<string, JobSnapshot>();
  let last = '';
  return events.subscribe((event, payload) => {
    if (event !== 'jobs:batch') return;
    const batch = payload as { jobs: JobSnapshot[]; removed: string[] };
    for (const job of batch.jobs) jobs.set(job.id, job);
    for (const id of batch.removed) jobs.delete(id);
    for (const [id, job] of jobs) if (FINISHED.has(job.state)) jobs.delete(id);
    const progress = overallProgress(jobs.values());
    // A percent step is plenty for a taskbar; avoids a native call per progress event.
    const key = `${progress.mode}:${progress.value < 0 || progress.value > 1 ? progress.value : Math.floor(progress.value * 100)}`;
    if (key === last) return;
    last = key;
    const win = getWindow();
    if (win && !win.isDestroyed()) win.setProgressBar(progress.value, { mode: progress.mode });
    onChange(progress);
  });
}
