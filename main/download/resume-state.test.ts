import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  partPathOf,
  readResumeState,
  removePartial,
  statePathOf,
  writeResumeState,
  type ResumeState,
} from './resume-state';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dl-state-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const state: ResumeState = {
  version: 1,
  url: 'https://example.test/a',
  total: 100,
  validator: { etag: '"x"', lastModified: null },
  expected: null,
  segments: [
    { start: 0, end: 50, done: 50 },
    { start: 50, end: 100, done: 10 },
  ],
  updatedAt: '2024-01-01T00:00:00.000Z',
};

describe('resume-state', () => {
  describe('writeResumeState() / readResumeState()', () => {
    it('round-trips a state atomically and leaves no temp file', async () => {
      const path = statePathOf(join(dir, 'f'));
      await writeResumeState(path, state);
      expect(await readResumeState(path)).toEqual(state);
      expect(existsSync(`${path}.tmp`)).toBe(false);
      await writeResumeState(path, { ...state, segments: [{ start: 0, end: 100, done: 70 }] });
      expect(JSON.parse(readFileSync(path, 'utf8')).segments).toEqual([
        { start: 0, end: 100, done: 70 },
      ]);
    });

    it('returns null for a missing, corrupt or inconsistent state', async () => {
      const path = statePathOf(join(dir, 'f'));
      expect(await readResumeState(path)).toBeNull();
      writeFileSync(path, '{"version":1,');
      expect(await readResumeState(path)).toBeNull();
      writeFileSync(
        path,
        JSON.stringify({ ...state, segments: [{ start: 0, end: 60, done: 70 }] }),
      );
      expect(await readResumeState(path)).toBeNull();
      writeFileSync(path, JSON.stringify({ ...state, total: 101 }));
      expect(await readResumeState(path)).toBeNull();
      writeFileSync(path, JSON.stringify({ ...state, version: 2 }));
      expect(await readResumeState(path)).toBeNull();
    });
  });

  describe('removePartial()', () => {
    it('removes the part file and the state', async () => {
      const dest = join(dir, 'f');
      writeFileSync(partPathOf(dest), 'x');
      await writeResumeState(statePathOf(dest), state);
      await removePartial(dest);
      expect(existsSync(partPathOf(dest))).toBe(false);
      expect(existsSync(statePathOf(dest))).toBe(false);
    });
  });
});
