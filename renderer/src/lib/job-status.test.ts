import { describe, expect, it } from 'vitest';
import { job } from '../test-fixtures';
import { describeJobStatus, jobActions, segmentFractions } from './job-status';

describe('job-status', () => {
  describe('describeJobStatus()', () => {
    it('counts down to the next retry and gives the reason', () => {
      const j = job({ state: 'retrying', nextAttemptAt: 10_000, retryReason: '503' });
      expect(describeJobStatus(j, 6_100)).toBe('retrying in 4 s — 503');
    });
    it('shows how long a job has been stalled', () => {
      expect(describeJobStatus(job({ state: 'stalled', stalledSince: 1_000 }), 21_000)).toBe(
        'stalled 20 s',
      );
    });
    it('names a pin mismatch failure', () => {
      const j = job({
        state: 'failed',
        error: { code: 'ERR_PIN_MISMATCH', message: 'x', retryable: false },
      });
      expect(describeJobStatus(j, 0)).toBe('pin mismatch');
    });
    it('words other failures from the error catalogue', () => {
      const j = job({
        state: 'failed',
        error: { code: 'ERR_INTEGRITY', message: 'x', retryable: false },
      });
      expect(describeJobStatus(j, 0)).toBe('checksum mismatch');
    });
    it('says why a job is paused after a crash', () => {
      expect(describeJobStatus(job({ state: 'paused', pauseReason: 'interrupted' }), 0)).toMatch(
        /^interrupted/,
      );
    });
  });
  describe('jobActions()', () => {
    it('offers pause for live jobs and resume for paused ones', () => {
      expect(jobActions(job({ state: 'downloading' }))).toMatchObject({
        pause: true,
        resume: false,
        cancel: true,
      });
      expect(jobActions(job({ state: 'paused' }))).toMatchObject({
        pause: false,
        resume: true,
        cancel: true,
      });
    });
    it('offers retry and remove for failed jobs only', () => {
      expect(jobActions(job({ state: 'failed' }))).toMatchObject({
        retry: true,
        remove: true,
        pause: false,
      });
      expect(jobActions(job({ state: 'completed' }))).toMatchObject({
        retry: false,
        remove: true,
        reveal: true,
      });
    });
  });
  describe('segmentFractions()', () => {
    it('gives each segment its share of the file and its own progress', () => {
      const j = job({
        total: 100,
        segments: [
          { start: 0, end: 49, downloaded: 50 },
          { start: 50, end: 99, downloaded: 10 },
        ],
      });
      expect(segmentFractions(j)).toEqual([
        { width: 0.5, done: 1 },
        { width: 0.5, done: 0.2 },
      ]);
    });
    it('is empty without a known size', () => {
      expect(segmentFractions(job({ total: null, segments: [] }))).toEqual([]);
    });
  });
});
