import { describe, expect, it } from 'vitest';
import { planStarts, type QueuedJob } from './scheduler';

const q = (id: string, host: string, priority = 0, seq = 0, connections = 2): QueuedJob => ({
  id,
  host,
  priority,
  seq,
  connections,
});

describe('scheduler', () => {
  describe('planStarts()', () => {
    it('starts at most maxActive jobs minus the active ones', () => {
      const queued = [
        q('a', 'h1', 0, 0),
        q('b', 'h2', 0, 1),
        q('c', 'h3', 0, 2),
        q('d', 'h4', 0, 3),
      ];
      expect(
        planStarts(queued, [], { maxActive: 3, perHostConnections: 8 }).map((d) => d.id),
      ).toEqual(['a', 'b', 'c']);
      expect(
        planStarts(
          queued,
          [
            { host: 'x', connections: 1 },
            { host: 'y', connections: 1 },
          ],
          { maxActive: 3, perHostConnections: 8 },
        ).map((d) => d.id),
      ).toEqual(['a']);
    });

    it('orders by priority (higher first), then by creation order', () => {
      const queued = [q('low', 'h', -5, 0), q('late', 'h', 10, 9), q('early', 'h', 10, 1)];
      expect(
        planStarts(queued, [], { maxActive: 3, perHostConnections: 99 }).map((d) => d.id),
      ).toEqual(['early', 'late', 'low']);
    });

    it('respects the per-host connection limit and lets another host go ahead', () => {
      const queued = [q('a1', 'a', 5, 0, 4), q('a2', 'a', 5, 1, 4), q('b1', 'b', 0, 2, 4)];
      const plan = planStarts(queued, [], { maxActive: 3, perHostConnections: 4 });
      expect(plan).toEqual([
        { id: 'a1', connections: 4 },
        { id: 'b1', connections: 4 },
      ]);
    });

    it('gives a job only the connections its host has left', () => {
      const plan = planStarts([q('a', 'h', 0, 0, 6)], [{ host: 'h', connections: 5 }], {
        maxActive: 3,
        perHostConnections: 8,
      });
      expect(plan).toEqual([{ id: 'a', connections: 3 }]);
    });

    it('starts nothing when the host is saturated', () => {
      expect(
        planStarts([q('a', 'h')], [{ host: 'h', connections: 8 }], {
          maxActive: 3,
          perHostConnections: 8,
        }),
      ).toEqual([]);
    });
  });
});
