import { describe, expect, it } from 'vitest';
import type { JobSnapshot } from '../../preload/contract';
import { BatchCoalescer } from './batch-coalescer';
import { ManualClock } from './testing/manual-clock';

function setup(interval = 100) {
  const clock = new ManualClock(1000);
  const batches: { at: number; jobs: string[]; removed: string[] }[] = [];
  const c = new BatchCoalescer({
    clock,
    intervalMs: interval,
    snapshot: (id) => (id.startsWith('gone') ? null : ({ id } as JobSnapshot)),
    emit: (b) =>
      batches.push({ at: clock.now(), jobs: b.jobs.map((j) => j.id), removed: b.removed }),
  });
  return { clock, c, batches };
}

describe('batch-coalescer', () => {
  describe('BatchCoalescer', () => {
    it('emits at most one batch per interval however many jobs change', () => {
      const { clock, c, batches } = setup();
      for (let t = 0; t < 1000; t += 5) {
        for (let j = 0; j < 50; j++) c.touch(`job${j}`);
        clock.advance(5);
      }
      clock.advance(200);
      expect(batches.length).toBeGreaterThanOrEqual(9);
      expect(batches.length).toBeLessThanOrEqual(11);
      for (let i = 1; i < batches.length; i++)
        expect(batches[i].at - batches[i - 1].at).toBeGreaterThanOrEqual(100);
      expect(batches[0].jobs).toHaveLength(50);
    });

    it('sends the first change promptly and merges touches of one job', () => {
      const { clock, c, batches } = setup();
      c.touch('a');
      c.touch('a');
      clock.advance(0);
      expect(batches).toEqual([{ at: 1000, jobs: ['a'], removed: [] }]);
    });

    it('reports removals and drops a removed job from the changed list', () => {
      const { clock, c, batches } = setup();
      c.touch('a');
      c.remove('a');
      c.touch('gone1'); // a job that no longer exists yields no snapshot
      clock.advance(0);
      expect(batches).toEqual([{ at: 1000, jobs: [], removed: ['a'] }]);
    });

    it('flush() emits immediately and dispose() stops the timer', () => {
      const { clock, c, batches } = setup();
      c.touch('a');
      c.flush();
      expect(batches).toHaveLength(1);
      c.touch('b');
      c.dispose();
      clock.advance(1000);
      expect(batches).toHaveLength(1);
    });
  });
});
