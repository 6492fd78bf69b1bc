/**
 * Single-instance lock on a state directory: an O_EXCL lock file holding the owner's pid,
 * with stale-lock takeover when that process is gone.
 */
import {
  closeSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../errors';

/** Raised when another live process owns the state directory. */
export class StateLockedError extends AppError {
  constructor(lockFile: string, ownerPid: number | null) {
    super(
      'ERR_LOCKED',
      `Another instance (pid ${ownerPid ?? 'unknown'}) owns ${lockFile}. Close it first.`,
      { details: { lockFile, ownerPid } },
    );
  }
}

/** A held lock. */
export interface StateLock {
  readonly file: string;
  /** Release the lock (idempotent). */
  release(): void;
}

interface LockContent {
  pid: number;
  host: string;
  /** Kernel start time of the owner (Linux), to tell a reused pid from the owner. */
  startTime: string | null;
  at: number;
}

/** Lock files held by this process, so a second in-process owner is refused too. */
const heldHere = new Set<string>();

/** Name of the lock file inside a state directory. */
export const LOCK_FILE_NAME = 'jobs.lock';

function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime); fields after the ")" of the command name are space-separated.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function readLock(file: string): LockContent | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockContent>;
    if (typeof parsed.pid !== 'number') return null;
    return {
      pid: parsed.pid,
      host: String(parsed.host ?? ''),
      startTime: parsed.startTime ?? null,
      at: Number(parsed.at ?? 0),
    };
  } catch {
    return null;
  }
}

/** Whether the process that wrote `content` is still alive. */
function ownerAlive(file: string, content: LockContent | null): boolean {
  if (!content) {
    // Unreadable or half-written lock: a live owner writes its pid right after creating the
    // file, so only treat it as stale once it is clearly old.
    try {
      return Date.now() - statSync(file).mtimeMs < 10_000;
    } catch {
      return false;
    }
  }
  if (content.host !== hostname()) return true; // a shared directory: never steal across hosts
  if (content.pid === process.pid) return heldHere.has(file);
  try {
    process.kill(content.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    return true; // EPERM: alive, owned by someone else
  }
  // The pid exists; if the kernel start time differs, the pid was reused by another process.
  const now = processStartTime(content.pid);
  if (content.startTime && now && now !== content.startTime) return false;
  return true;
}

function tryCreate(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  const content: LockContent = {
    pid: process.pid,
    host: hostname(),
    startTime: processStartTime(process.pid),
    at: Date.now(),
  };
  try {
    writeSync(fd, JSON.stringify(content));
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Acquire the lock of `stateDir` or throw {@link StateLockedError}.
 *
 * Stale takeover race: two starters may both find the same dead owner. Each renames the
 * stale file to a private name first; rename is atomic, so only one of them moves it and
 * the other gets ENOENT and simply retries the O_EXCL create, which the winner already
 * holds. Nobody can delete a fresh lock by mistake, because a fresh lock is only ever
 * moved aside after being read and judged dead under its own name.
 */
export function acquireStateLock(stateDir: string): StateLock {
  const file = join(stateDir, LOCK_FILE_NAME);
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(file)) {
      heldHere.add(file);
      let released = false;
      return {
        file,
        release() {
          if (released) return;
          released = true;
          heldHere.delete(file);
          const current = readLock(file);
          if (current?.pid === process.pid) rmSync(file, { force: true });
        },
      };
    }
    const content = readLock(file);
    if (ownerAlive(file, content)) throw new StateLockedError(file, content?.pid ?? null);
    const aside = `${file}.stale-${process.pid}-${Date.now()}`;
    try {
      renameSync(file, aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // someone else took it over
      throw err;
    }
    // If what we moved is not what we judged (a fresh owner slipped in), put it back.
    const moved = readLock(aside);
    if (moved && content && moved.pid !== content.pid && ownerAlive(aside, moved)) {
      try {
        linkSync(aside, file); // fails with EEXIST rather than clobbering a newer lock
      } catch {
        /* a newer lock exists already; the owner stays alive either way */
      }
      rmSync(aside, { force: true });
      throw new StateLockedError(file, moved.pid);
    }
    rmSync(aside, { force: true });
  }
  throw new StateLockedError(file, readLock(file)?.pid ?? null);
}
