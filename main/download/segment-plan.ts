/**
 * Pure segment planning for parallel ranged downloads. A segment covers bytes
 * [start, end) of the file; `done` of them (from `start`) are already fetched. Work is
 * handed out by {@link pickWork}: an idle unfinished segment first (lowest offset, which
 * keeps the streaming hash contiguous), else half of the largest remaining segment
 * (dynamic splitting, as aria2 does), never leaving a piece below the minimum size.
 */

/** One contiguous piece of the file: bytes [start, end), `done` of them fetched from `start`. */
export interface SegmentSpan {
  start: number;
  end: number;
  done: number;
}

/** What a free connection should do next. */
export type WorkPick =
  { kind: 'resume'; index: number } | { kind: 'split'; index: number; at: number } | null;

/** Bytes still to fetch in a segment. */
export function remainingOf(segment: SegmentSpan): number {
  return segment.end - segment.start - segment.done;
}

/** Split a file of `total` bytes into at most `connections` equal segments of at least `minSegmentSize`. */
export function planSegments(
  total: number,
  connections: number,
  minSegmentSize: number,
): SegmentSpan[] {
  if (total <= 0) return [{ start: 0, end: 0, done: 0 }];
  const maxBySize = Math.max(1, Math.floor(total / Math.max(1, minSegmentSize)));
  const count = Math.max(1, Math.min(connections, maxBySize));
  const base = Math.floor(total / count);
  const segments: SegmentSpan[] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const end = i === count - 1 ? total : start + base;
    segments.push({ start, end, done: 0 });
    start = end;
  }
  return segments;
}

/**
 * Choose work for a free connection. `busy` holds indexes of segments a connection owns.
 * A split point keeps at least `minSegmentSize` bytes on both sides of it.
 */
export function pickWork(
  segments: readonly SegmentSpan[],
  busy: ReadonlySet<number>,
  minSegmentSize: number,
): WorkPick {
  for (let i = 0; i < segments.length; i++) {
    if (!busy.has(i) && remainingOf(segments[i]) > 0) return { kind: 'resume', index: i };
  }
  let best = -1;
  let bestRemaining = 0;
  for (let i = 0; i < segments.length; i++) {
    const remaining = remainingOf(segments[i]);
    if (busy.has(i) && remaining > bestRemaining) {
      best = i;
      bestRemaining = remaining;
    }
  }
  const minimum = Math.max(1, minSegmentSize);
  if (best < 0 || bestRemaining < 2 * minimum) return null;
  const segment = segments[best];
  const at = segment.start + segment.done + Math.ceil(bestRemaining / 2);
  return { kind: 'split', index: best, at };
}

/** Split segment `index` at byte `at`: it now ends at `at`, and a new empty segment covers the rest. */
export function applySplit(
  segments: readonly SegmentSpan[],
  index: number,
  at: number,
): SegmentSpan[] {
  const target = segments[index];
  if (at <= target.start + target.done || at >= target.end) {
    throw new RangeError(`split point ${at} is outside the unfetched part of segment ${index}`);
  }
  const next = segments.map((s) => ({ ...s }));
  next[index] = { ...target, end: at };
  next.splice(index + 1, 0, { start: at, end: target.end, done: 0 });
  return next;
}

/** True when every segment is fully fetched. */
export function allDone(segments: readonly SegmentSpan[]): boolean {
  return segments.every((s) => remainingOf(s) === 0);
}

/** Sum of fetched bytes. */
export function doneBytes(segments: readonly SegmentSpan[]): number {
  let sum = 0;
  for (const s of segments) sum += s.done;
  return sum;
}

/**
 * Check segments read back from a resume state: sorted, gap-free, non-overlapping cover of
 * [0, total) with `done` inside each span. Anything else means the state is not trusted.
 */
export function isValidCover(segments: readonly SegmentSpan[], total: number): boolean {
  if (segments.length === 0) return false;
  let expectStart = 0;
  for (const s of segments) {
    const ok =
      Number.isSafeInteger(s.start) &&
      Number.isSafeInteger(s.end) &&
      Number.isSafeInteger(s.done) &&
      s.start === expectStart &&
      s.end >= s.start &&
      s.done >= 0 &&
      s.done <= s.end - s.start;
    if (!ok) return false;
    expectStart = s.end;
  }
  return expectStart === total;
}
