/** Words for a job's state and its reason ("retrying in 4 s — 503", "stalled 20 s"). Pure. */
import type { JobSnapshot, JobState } from '../../../preload/contract';
import { describeErrorCode } from '../../../preload/error-codes';
import { formatDuration } from '../format';

/** Short label of each state. */
export const STATE_LABELS: Record<JobState, string> = {
  queued: 'Queued',
  connecting: 'Connecting',
  downloading: 'Downloading',
  paused: 'Paused',
  retrying: 'Retrying',
  stalled: 'Stalled',
  verifying: 'Verifying',
  completed: 'Completed',
  failed: 'Failed',
  canceled: 'Canceled',
};

const PAUSE_REASONS: Record<string, string> = {
  user: 'paused',
  interrupted: 'interrupted — resume to continue',
  'disk-full': 'disk full — free space, then resume',
  offline: 'offline — resumes when back online',
};

/** A job's state in words, with the reason where there is one. */
export function describeJobStatus(job: JobSnapshot, now: number): string {
  switch (job.state) {
    case 'retrying': {
      const wait =
        job.nextAttemptAt !== null
          ? `retrying in ${formatDuration(Math.max(0, Math.ceil((job.nextAttemptAt - now) / 1000)))}`
          : 'retrying';
      return job.retryReason ? `${wait} — ${job.retryReason}` : wait;
    }
    case 'stalled':
      return job.stalledSince !== null
        ? `stalled ${formatDuration(Math.max(0, Math.floor((now - job.stalledSince) / 1000)))}`
        : 'stalled';
    case 'paused':
      return PAUSE_REASONS[job.pauseReason ?? 'user'] ?? 'paused';
    case 'failed':
      return job.error ? failureWords(job.error.code) : 'failed';
    case 'completed':
      return job.sha256 ? 'completed — hash verified' : 'completed';
    default:
      return STATE_LABELS[job.state].toLowerCase();
  }
}

/** Compact words for a failure code, e.g. "pin mismatch". */
export function failureWords(code: string): string {
  if (code === 'ERR_PIN_MISMATCH') return 'pin mismatch';
  return describeErrorCode(code).title.toLowerCase();
}

/** Which actions make sense for a job in its state. */
export function jobActions(job: JobSnapshot): {
  pause: boolean;
  resume: boolean;
  cancel: boolean;
  retry: boolean;
  remove: boolean;
  reveal: boolean;
} {
  const s = job.state;
  const active = ['queued', 'connecting', 'downloading', 'retrying', 'stalled'].includes(s);
  const finished = s === 'completed' || s === 'failed' || s === 'canceled';
  return {
    pause: active,
    resume: s === 'paused',
    cancel: active || s === 'paused' || s === 'verifying',
    retry: s === 'failed' || s === 'canceled',
    remove: finished,
    reveal: s === 'completed' || job.downloaded > 0,
  };
}

/** True while a job moves bytes or waits to (its ETA and speed are meaningful). */
export function isLive(job: JobSnapshot): boolean {
  return ['connecting', 'downloading', 'retrying', 'stalled', 'verifying'].includes(job.state);
}

/** Fractions (0–1) done of each segment, for the per-segment mini-bar. */
export function segmentFractions(job: JobSnapshot): { width: number; done: number }[] {
  const total = job.total ?? job.segments.reduce((n, s) => n + (s.end - s.start + 1), 0);
  if (!total || job.segments.length === 0) return [];
  return job.segments.map((s) => {
    const len = Math.max(1, s.end - s.start + 1);
    return { width: len / total, done: Math.min(1, Math.max(0, s.downloaded / len)) };
  });
}
