import { afterEach, describe, expect, it } from 'vitest';
import {
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic, writeFileAtomicSync } from './atomic-write';

describe('atomic-write', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'atomic-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  describe('writeFileAtomic()', () => {
    it('replaces the file and leaves no temp files behind', async () => {
      const d = tmp();
      const f = join(d, 'state.json');
      writeFileSync(f, 'old');
      await writeFileAtomic(f, 'new', { mode: 0o600 });
      expect(readFileSync(f, 'utf8')).toBe('new');
      expect(readdirSync(d)).toEqual(['state.json']);
      if (process.platform !== 'win32') expect(statSync(f).mode & 0o777).toBe(0o600);
    });

    it('keeps the old file when the rename cannot happen', async () => {
      const d = tmp();
      const target = join(d, 'dir-in-the-way');
      mkdirSync(target);
      writeFileSync(join(target, 'x'), 'keep');
      await expect(writeFileAtomic(target, 'data')).rejects.toThrow();
      expect(readFileSync(join(target, 'x'), 'utf8')).toBe('keep');
      expect(readdirSync(d)).toEqual(['dir-in-the-way']);
    });
  });

  describe('writeFileAtomicSync()', () => {
    it('writes durably and synchronously', () => {
      const d = tmp();
      const f = join(d, 'a.json');
      writeFileAtomicSync(f, JSON.stringify({ a: 1 }));
      expect(JSON.parse(readFileSync(f, 'utf8'))).toEqual({ a: 1 });
      expect(readdirSync(d)).toEqual(['a.json']);
    });
  });
});
