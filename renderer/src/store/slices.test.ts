import { beforeEach, describe, expect, it } from 'vitest';
import { facts, job } from '../test-fixtures';
import { appendBounded } from './diagnostics-slice';
import { mergeJobBatch, orderJobs, sameOrder } from './jobs-slice';
import { addRecentConnection } from './security-slice';
import { resetStore, useStore } from './store';
import { keepRecentResults } from './updates-slice';

describe('store slices', () => {
  beforeEach(() => resetStore());

  describe('orderJobs()', () => {
    it('puts active jobs first, then by priority, then newest', () => {
      const jobs = {
        done: job({ id: 'done', state: 'completed', createdAt: 9 }),
        old: job({ id: 'old', createdAt: 1 }),
        new: job({ id: 'new', createdAt: 2 }),
        hi: job({ id: 'hi', priority: 5, createdAt: 0 }),
      };
      expect(orderJobs(jobs)).toEqual(['hi', 'new', 'old', 'done']);
    });
  });
  describe('mergeJobBatch()', () => {
    it('never goes back in time after an out-of-order batch', () => {
      const jobs = { a: job({ id: 'a', updatedAt: 5, downloaded: 500 }) };
      const next = mergeJobBatch(jobs, {
        jobs: [job({ id: 'a', updatedAt: 4, downloaded: 400 })],
        removed: [],
      });
      expect(next.a!.downloaded).toBe(500);
    });
  });
  describe('applyJobBatch()', () => {
    it('keeps the order array when a batch only changes progress', () => {
      useStore.getState().setJobs([job({ id: 'a' }), job({ id: 'b', createdAt: 2 })]);
      const before = useStore.getState().jobOrder;
      const untouched = useStore.getState().jobs.b;
      useStore
        .getState()
        .applyJobBatch({ jobs: [job({ id: 'a', updatedAt: 2, downloaded: 600 })], removed: [] });
      expect(useStore.getState().jobOrder).toBe(before);
      expect(useStore.getState().jobs.b).toBe(untouched);
      expect(useStore.getState().jobs.a!.downloaded).toBe(600);
      expect(sameOrder(['a'], ['b'])).toBe(false);
    });
  });
  describe('keepRecentResults()', () => {
    it('keeps the newest first and caps the list', () => {
      const r = (k: string) => ({
        componentKey: k,
        ok: true,
        fromVersion: null,
        toVersion: null,
        error: null,
      });
      const list = keepRecentResults([r('old')], [r('a'), r('b')], 2);
      expect(list.map((x) => x.componentKey)).toEqual(['b', 'a']);
    });
  });
  describe('addRecentConnection()', () => {
    it('keeps one entry per host:port, newest first', () => {
      const a1 = facts({ at: 1 });
      const b = facts({ host: 'b.test', at: 2 });
      const a2 = facts({ at: 3 });
      expect(addRecentConnection(addRecentConnection([a1], b), a2).map((c) => c.at)).toEqual([
        3, 2,
      ]);
    });
  });
  describe('appendBounded()', () => {
    it('drops the oldest lines beyond the cap', () => {
      expect(appendBounded([1, 2, 3], [4, 5], 4)).toEqual([2, 3, 4, 5]);
    });
  });
  describe('setUpdateBusy()', () => {
    it('marks and clears a component as busy', () => {
      useStore.getState().setUpdateBusy('core', 'install');
      expect(useStore.getState().updateBusy).toEqual({ core: 'install' });
      useStore.getState().setUpdateBusy('core', null);
      expect(useStore.getState().updateBusy).toEqual({});
    });
  });
});
