/**
 * Byte-range helpers for checkpoints: completed ranges from segment progress, merging,
 * and totals. Ranges are half-open `[start, end)`.
 */
import type { SegmentProgress } from '../../preload/contract';
import type { ByteRange } from './types';

/** Sort and merge overlapping or touching ranges; drops empty ones. */
export function mergeRanges(ranges: ByteRange[]): ByteRange[] {
  const sorted = ranges.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const out: ByteRange[] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** Completed ranges of a download from its per-segment progress (segment ends are inclusive). */
export function rangesFromSegments(segments: SegmentProgress[]): ByteRange[] {
  return mergeRanges(
    segments.map((s) => [s.start, Math.min(s.start + Math.max(0, s.downloaded), s.end + 1)]),
  );
}

/** Total bytes covered by merged ranges. */
export function coveredBytes(ranges: ByteRange[]): number {
  return ranges.reduce((n, [s, e]) => n + (e - s), 0);
}
