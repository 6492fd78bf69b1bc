import { describe, expect, it } from 'vitest';
import {
  LowSpeedError,
  LowSpeedMeter,
  bandwidthCapOf,
  effectiveFloor,
  lowSpeedEnabled,
  lowSpeedTickMs,
} from './low-speed';
import { ThrottleGroup } from './throttle-bucket';

describe('low-speed', () => {
  describe('LowSpeedMeter.add()', () => {
    it('does not judge before a full window of waiting has passed', () => {
      const m = new LowSpeedMeter(1000);
      for (let i = 0; i < 9; i++) expect(m.add(100, 0, 1024)).toBe(false);
      expect(m.add(100, 0, 1024)).toBe(true);
    });
    it('fails when a full window received fewer than floor * window bytes', () => {
      const m = new LowSpeedMeter(1000);
      for (let i = 0; i < 9; i++) m.add(100, 100, 1024);
      expect(m.add(100, 100, 1024)).toBe(true); // 1000 bytes < 1024
    });
    it('passes a window that received at least the floor', () => {
      const m = new LowSpeedMeter(1000);
      for (let i = 0; i < 20; i++) expect(m.add(100, 110, 1024)).toBe(false);
    });
    it('slides: an early burst does not cover a later slow window', () => {
      const m = new LowSpeedMeter(1000);
      expect(m.add(100, 1 << 20, 1024)).toBe(false);
      let failed = false;
      for (let i = 0; i < 11 && !failed; i++) failed = m.add(100, 10, 1024);
      expect(failed).toBe(true);
    });
    it('does not advance the window on samples with no waiting time (paused by us)', () => {
      const m = new LowSpeedMeter(1000);
      for (let i = 0; i < 100; i++) expect(m.add(0, 0, 1024)).toBe(false);
    });
  });

  describe('effectiveFloor()', () => {
    it('keeps the floor when unthrottled or throttled above it', () => {
      expect(effectiveFloor(1024, null)).toBe(1024);
      expect(effectiveFloor(1024, 1 << 20)).toBe(1024);
    });
    it('clamps the floor to half a user limit below it', () => {
      expect(effectiveFloor(1024, 512)).toBe(256);
    });
  });

  describe('bandwidthCapOf()', () => {
    it('takes the tighter of the client limit and the job group', () => {
      expect(bandwidthCapOf(null, undefined)).toBeNull();
      expect(bandwidthCapOf(4096, undefined)).toBe(4096);
      expect(bandwidthCapOf(null, new ThrottleGroup(2048))).toBe(2048);
      expect(bandwidthCapOf(1024, new ThrottleGroup(2048))).toBe(1024);
      expect(bandwidthCapOf(4096, new ThrottleGroup(null))).toBe(4096);
    });
  });

  describe('lowSpeedEnabled() / lowSpeedTickMs()', () => {
    it('treats a 0 field as disabled', () => {
      expect(lowSpeedEnabled({ bytesPerSecond: 1024, windowMs: 60_000 })).toBe(true);
      expect(lowSpeedEnabled({ bytesPerSecond: 0, windowMs: 60_000 })).toBe(false);
      expect(lowSpeedEnabled({ bytesPerSecond: 1024, windowMs: 0 })).toBe(false);
      expect(lowSpeedEnabled(undefined)).toBe(false);
    });
    it('ticks about ten times per window, between 50 ms and 1 s', () => {
      expect(lowSpeedTickMs(60_000)).toBe(1000);
      expect(lowSpeedTickMs(1000)).toBe(100);
      expect(lowSpeedTickMs(100)).toBe(50);
    });
  });

  describe('LowSpeedError', () => {
    it('is a retryable ERR_TIMEOUT with phase lowSpeed', () => {
      const e = new LowSpeedError({ bytesPerSecond: 1024, windowMs: 60_000 }, 10, 'https://x');
      expect(e).toMatchObject({ code: 'ERR_TIMEOUT', phase: 'lowSpeed', retryable: true });
      expect(e.message).toMatch(/10 bytes in 60000 ms/);
    });
  });
});
