import { describe, expect, it } from 'vitest';
import { ProgressMeter } from './progress-meter';
import type { DownloadProgress } from './types';

function setup(total: number | null, intervalMs = 100) {
  let now = 0;
  let downloaded = 0;
  const events: DownloadProgress[] = [];
  const meter = new ProgressMeter(
    {
      total: () => total,
      downloaded: () => downloaded,
      segments: () => [{ start: 0, end: 9, downloaded }],
    },
    (p) => events.push(p),
    intervalMs,
    () => now,
  );
  return {
    meter,
    events,
    advance(ms: number, bytes: number) {
      now += ms;
      downloaded += bytes;
      meter.add(bytes);
    },
  };
}

describe('progress-meter', () => {
  describe('ProgressMeter', () => {
    it('emits at most once per interval', () => {
      const t = setup(10_000);
      for (let i = 0; i < 100; i++) t.advance(10, 10);
      // 1000 ms of data at a 100 ms interval: the first add plus one per interval.
      expect(t.events.length).toBeGreaterThanOrEqual(10);
      expect(t.events.length).toBeLessThanOrEqual(11);
    });

    it('always emits a final event, once, even inside the interval', () => {
      const t = setup(100);
      t.advance(1, 50);
      t.advance(1, 50);
      t.meter.final();
      t.meter.final();
      const last = t.events[t.events.length - 1];
      expect(last).toMatchObject({ downloaded: 100, percent: 100, etaSeconds: 0 });
      expect(t.events.filter((e) => e.downloaded === 100)).toHaveLength(1);
      t.advance(500, 0);
      t.meter.tick();
      expect(t.events[t.events.length - 1]).toBe(last);
    });

    it('smooths the speed and derives the ETA from it', () => {
      const t = setup(100_000_000);
      for (let i = 0; i < 50; i++) t.advance(100, 100_000); // 1 MB/s for 5 s
      const p = t.events[t.events.length - 1];
      expect(p.bytesPerSecond).toBeGreaterThan(900_000);
      expect(p.bytesPerSecond).toBeLessThan(1_100_000);
      expect(p.etaSeconds).toBeGreaterThan(80);
      expect(p.etaSeconds).toBeLessThan(110);
      // After a burst, the EWMA moves towards the new rate without jumping to it.
      for (let i = 0; i < 3; i++) t.advance(100, 1_000_000);
      const q = t.events[t.events.length - 1];
      expect(q.bytesPerSecond).toBeGreaterThan(1_100_000);
      expect(q.bytesPerSecond).toBeLessThan(10_000_000);
    });

    it('reports null percent and ETA for an unknown total', () => {
      const t = setup(null);
      t.advance(200, 10);
      expect(t.events[0]).toMatchObject({ total: null, percent: null, etaSeconds: null });
    });

    it('keeps going when an observer throws', () => {
      let now = 0;
      const meter = new ProgressMeter(
        { total: () => 1, downloaded: () => 1, segments: () => [] },
        () => {
          throw new Error('observer bug');
        },
        100,
        () => now,
      );
      now = 200;
      expect(() => meter.add(1)).not.toThrow();
      expect(() => meter.final()).not.toThrow();
    });
  });
});
