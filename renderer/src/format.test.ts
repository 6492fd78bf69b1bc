import { describe, expect, it } from 'vitest';
import {
  daysUntil,
  formatBytes,
  formatDaysLeft,
  formatDuration,
  formatPercent,
  formatSpeed,
} from './format';

describe('format', () => {
  describe('formatBytes()', () => {
    it('uses binary units and a dash for unknown sizes', () => {
      expect(formatBytes(512)).toBe('512 B');
      expect(formatBytes(1536)).toBe('1.5 KiB');
      expect(formatBytes(10 * 1024 * 1024)).toBe('10 MiB');
      expect(formatBytes(null)).toBe('—');
    });
  });
  describe('formatSpeed()', () => {
    it('shows a dash when nothing moves', () => {
      expect(formatSpeed(0)).toBe('—');
      expect(formatSpeed(2048)).toBe('2.0 KiB/s');
    });
  });
  describe('formatDuration()', () => {
    it('reads seconds, minutes and hours', () => {
      expect(formatDuration(4)).toBe('4 s');
      expect(formatDuration(125)).toBe('2 min 5 s');
      expect(formatDuration(3900)).toBe('1 h 5 min');
    });
  });
  describe('formatDaysLeft() and daysUntil()', () => {
    it('counts whole days and words past expiry', () => {
      const now = Date.parse('2025-01-01T00:00:00Z');
      expect(daysUntil('2025-01-11T12:00:00Z', now)).toBe(10);
      expect(formatDaysLeft(10)).toBe('10 days left');
      expect(formatDaysLeft(1)).toBe('1 day left');
      expect(formatDaysLeft(0)).toBe('expires today');
      expect(formatDaysLeft(-3)).toBe('expired 3 days ago');
    });
  });
  describe('formatPercent()', () => {
    it('clamps and floors', () => {
      expect(formatPercent(99.9)).toBe('99 %');
      expect(formatPercent(140)).toBe('100 %');
      expect(formatPercent(null)).toBe('—');
    });
  });
});
