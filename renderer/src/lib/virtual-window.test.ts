import { describe, expect, it } from 'vitest';
import { computeRowWindow, scrollToRow } from './virtual-window';

describe('virtual-window', () => {
  describe('computeRowWindow()', () => {
    it('renders only visible rows plus overscan out of 200', () => {
      const w = computeRowWindow(960, 600, 96, 200, 2);
      expect(w).toEqual({ start: 8, end: 20, padTop: 768, padBottom: 180 * 96 });
    });
    it('keeps the total height constant', () => {
      for (const top of [0, 500, 19_000]) {
        const w = computeRowWindow(top, 600, 96, 200);
        expect(w.padTop + (w.end - w.start) * 96 + w.padBottom).toBe(200 * 96);
      }
    });
    it('is empty for an empty list', () => {
      expect(computeRowWindow(0, 600, 96, 0)).toEqual({
        start: 0,
        end: 0,
        padTop: 0,
        padBottom: 0,
      });
    });
  });
  describe('scrollToRow()', () => {
    it('scrolls just enough to show a row', () => {
      expect(scrollToRow(0, 200, 600, 100)).toBe(0);
      expect(scrollToRow(9, 0, 600, 100)).toBe(400);
      expect(scrollToRow(3, 0, 600, 100)).toBeNull();
    });
  });
});
