import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_FILE_NAME, StateLockedError, acquireStateLock } from './state-lock';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jobs-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

describe('state-lock', () => {
  describe('acquireStateLock()', () => {
    it('writes our pid and refuses a second owner in the same process with ERR_LOCKED', () => {
      const lock = acquireStateLock(dir);
      expect(JSON.parse(readFileSync(join(dir, LOCK_FILE_NAME), 'utf8')).pid).toBe(process.pid);
      expect(() => acquireStateLock(dir)).toThrow(StateLockedError);
      try {
        acquireStateLock(dir);
      } catch (err) {
        expect((err as StateLockedError).code).toBe('ERR_LOCKED');
      }
      lock.release();
      lock.release(); // idempotent
      expect(existsSync(join(dir, LOCK_FILE_NAME))).toBe(false);
      acquireStateLock(dir).release();
    });

    it('refuses when another live process holds the lock', () => {
      // The parent of this test runner is alive and is not us.
      writeFileSync(
        join(dir, LOCK_FILE_NAME),
        JSON.stringify({ pid: process.ppid, host: hostname(), startTime: null, at: 1 }),
      );
      expect(() => acquireStateLock(dir)).toThrow(/Another instance \(pid \d+\)/);
    });

    it('takes over a stale lock whose owner is dead', () => {
      writeFileSync(
        join(dir, LOCK_FILE_NAME),
        JSON.stringify({ pid: deadPid(), host: hostname(), startTime: null, at: 1 }),
      );
      const lock = acquireStateLock(dir);
      expect(JSON.parse(readFileSync(join(dir, LOCK_FILE_NAME), 'utf8')).pid).toBe(process.pid);
      lock.release();
    });

    it('takes over a lock whose pid was reused by a different process (start time differs)', () => {
      writeFileSync(
        join(dir, LOCK_FILE_NAME),
        JSON.stringify({ pid: process.ppid, host: hostname(), startTime: '1', at: 1 }),
      );
      const lock = acquireStateLock(dir);
      lock.release();
    });

    it('is refused across processes: a child cannot lock a directory we hold', () => {
      const lock = acquireStateLock(dir);
      const script = `
        const fs = require('fs');
        try { fs.openSync(${JSON.stringify(join(dir, LOCK_FILE_NAME))}, 'wx'); console.log('acquired'); }
        catch (e) { console.log(e.code); }`;
      const r = spawnSync(process.execPath, ['-e', script]);
      expect(r.stdout.toString().trim()).toBe('EEXIST');
      lock.release();
    });
  });
});
