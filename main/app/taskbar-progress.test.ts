import { describe, expect, it, vi } from 'vitest';
import type { JobSnapshot, JobState } from '../../preload/contract';
import { createEventHub } from '../core/event-hub';
import { overallProgress, setupTaskbarProgress } from './taskbar-progress';

function job(id: string, state: JobState, downloaded: number, total: number | null): JobSnapshot {
  return { id, state, downloaded, total } as JobSnapshot;
}

describe('taskbar-progress', () => {
  describe('overallProgress()', () => {
    it.each([
      ['no jobs', [], { value: -1, mode: 'none' }],
      [
        'only finished jobs',
        [job('a', 'completed', 10, 10), job('b', 'failed', 1, 10)],
        { value: -1, mode: 'none' },
      ],
      [
        'byte-weighted over active jobs',
        [job('a', 'downloading', 50, 100), job('b', 'queued', 0, 300)],
        { value: 0.125, mode: 'normal' },
      ],
      ['unknown size', [job('a', 'downloading', 5, null)], { value: 2, mode: 'indeterminate' }],
      ['all paused', [job('a', 'paused', 25, 100)], { value: 0.25, mode: 'paused' }],
      [
        'finished jobs ignored',
        [job('a', 'downloading', 1, 4), job('b', 'completed', 100, 100)],
        { value: 0.25, mode: 'normal' },
      ],
    ] as const)('%s', (_name, jobs, expected) => {
      expect(overallProgress(jobs as readonly JobSnapshot[])).toEqual(expected);
    });
  });

  describe('setupTaskbarProgress()', () => {
    it('drives setProgressBar from jobs:batch events, only on change', () => {
      const events = createEventHub();
      const win = { setProgressBar: vi.fn(), isDestroyed: () => false };
      const stop = setupTaskbarProgress(events, () => win);
      events.emit('jobs:batch', { jobs: [job('a', 'downloading', 10, 100)], removed: [] });
      events.emit('jobs:batch', { jobs: [job('a', 'downloading', 10, 100)], removed: [] });
      events.emit('jobs:batch', { jobs: [job('b', 'downloading', 90, 100)], removed: [] });
      events.emit('jobs:batch', { jobs: [], removed: ['a', 'b'] });
      expect(win.setProgressBar.mock.calls).toEqual([
        [0.1, { mode: 'normal' }],
        [0.5, { mode: 'normal' }],
        [-1, { mode: 'none' }],
      ]);
      stop();
      events.emit('jobs:batch', { jobs: [job('c', 'downloading', 1, 2)], removed: [] });
      expect(win.setProgressBar).toHaveBeenCalledTimes(3);
    });

    it('clears the bar when the last job completes', () => {
      const events = createEventHub();
      const win = { setProgressBar: vi.fn(), isDestroyed: () => false };
      setupTaskbarProgress(events, () => win);
      events.emit('jobs:batch', { jobs: [job('a', 'downloading', 1, 2)], removed: [] });
      events.emit('jobs:batch', { jobs: [job('a', 'completed', 2, 2)], removed: [] });
      expect(win.setProgressBar).toHaveBeenLastCalledWith(-1, { mode: 'none' });
    });
  });
});
