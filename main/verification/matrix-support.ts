/**
 * Helpers of the verification matrix (issue 10): the invariants checked after every case
 * and the scenario × mode table that docs/verification-matrix.md keeps. Test-only.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, readFile, readdir, readlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { loadJobStore, storePathIn } from '../jobs';
import { partPathOf, readResumeState, statePathOf } from '../download/resume-state';

/** What a case ended in: a verified file, or one error code. */
export type Outcome = 'verified' | `ERR_${string}`;

/** The four ways every scenario is driven. */
export const MODES = ['cli · seq', 'cli · seg', 'jobs · seq', 'jobs · seg'] as const;

/** One way of driving a scenario. */
export type Mode = (typeof MODES)[number];

/** One cell of the table. */
export interface MatrixCell {
  expected: Outcome | 'n/a';
  actual: Outcome | 'n/a';
  ms: number;
  note?: string;
}

/** One row: a scenario and its cells. */
export interface MatrixRow {
  group: string;
  scenario: string;
  attack: string;
  cells: Partial<Record<Mode, MatrixCell>>;
}

/** Hex sha256 of a buffer. */
export function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Invariant 1: `dest` is absent or holds exactly the expected bytes, and it is present
 * exactly when the case succeeded. Returns a list of violations (empty = fine).
 */
export async function checkDest(
  dest: string,
  expectedSha256: string,
  succeeded: boolean,
): Promise<string[]> {
  if (!existsSync(dest)) return succeeded ? [`${dest} missing after a verified download`] : [];
  const actual = sha256Hex(await readFile(dest));
  const out: string[] = [];
  if (actual !== expectedSha256) out.push(`${dest} holds unverified bytes (sha256 ${actual})`);
  if (!succeeded) out.push(`${dest} exists although the download failed`);
  return out;
}

/**
 * Invariant 2: the part state is consistent. A resume state (`<dest>.part.json`) must parse,
 * name this URL, sit beside a part file of exactly `total` bytes and claim only bytes that
 * are really the resource's bytes at those offsets (a crash-safe checkpoint never claims
 * anything else). A part file without a state is allowed (it is never trusted: the next run
 * starts over), but after a verified download, or a failure that condemns the data
 * (integrity, size, range), neither file may remain.
 */
export async function checkPartState(
  dest: string,
  truth: Buffer | null,
  outcome: Outcome,
): Promise<string[]> {
  const out: string[] = [];
  const statePath = statePathOf(dest);
  const partPath = partPathOf(dest);
  const mustBeGone =
    outcome === 'verified' ||
    ['ERR_INTEGRITY', 'ERR_TOO_LARGE', 'ERR_SIZE_MISMATCH', 'ERR_RANGE_INVALID'].includes(outcome);
  if (mustBeGone) {
    if (existsSync(statePath)) out.push(`${statePath} left behind after ${outcome}`);
    if (existsSync(partPath)) out.push(`${partPath} left behind after ${outcome}`);
    return out;
  }
  if (!existsSync(statePath)) return out;
  const state = await readResumeState(statePath);
  if (!state) return [`${statePath} exists but does not parse as a valid cover`];
  if (!existsSync(partPath)) return [`${statePath} exists without ${partPath}`];
  const part = await readFile(partPath);
  if (part.length !== state.total)
    out.push(`${partPath} holds ${part.length} bytes, the state says ${state.total}`);
  if (truth) {
    for (const s of state.segments) {
      const claimed = part.subarray(s.start, s.start + s.done);
      if (!claimed.equals(truth.subarray(s.start, s.start + s.done)))
        out.push(`state claims bytes ${s.start}+${s.done} that differ from the resource`);
    }
  }
  return out;
}

/** Invariant 3: the job store in `stateDir` loads without having to be recovered. */
export async function checkJobStore(stateDir: string): Promise<string[]> {
  const result = await loadJobStore(storePathIn(stateDir), Date.now());
  return result.problem ? [`job store problem: ${result.problem}`] : [];
}

/**
 * A stable fingerprint of a directory tree (names, types, modes, link targets, file hashes),
 * for invariant 4: installed components unchanged unless an install succeeded.
 */
export async function treeFingerprint(root: string): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (dir: string): Promise<void> => {
    let names: string[];
    try {
      names = (await readdir(dir)).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const p = join(dir, name);
      const st = await lstat(p);
      const rel = relative(root, p);
      if (st.isSymbolicLink()) hash.update(`L ${rel} -> ${await readlink(p)}\n`);
      else if (st.isDirectory()) {
        hash.update(`D ${rel} ${(st.mode & 0o7777).toString(8)}\n`);
        await walk(p);
      } else
        hash.update(`F ${rel} ${(st.mode & 0o7777).toString(8)} ${sha256Hex(await readFile(p))}\n`);
    }
  };
  await walk(root);
  return hash.digest('hex');
}

/** Every `*.part.json` under `dir` (resume states left by update downloads). */
export async function findResumeStates(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith('.part.json')) out.push(p);
    }
  };
  await walk(dir);
  return out;
}

/** Render the rows as a Markdown table (scenario × mode → outcome). */
export function renderMatrix(rows: MatrixRow[], meta: { seconds: number; when: string }): string {
  const head = `| group | scenario | attack or fault | ${MODES.join(' | ')} |`;
  const sep = `|---|---|---|${MODES.map(() => '---').join('|')}|`;
  const cell = (c: MatrixCell | undefined): string => {
    if (!c) return '—';
    if (c.actual === 'n/a') return `n/a${c.note ? ` (${c.note})` : ''}`;
    const ok = c.actual === c.expected;
    const shown = c.actual === 'verified' ? '✅ verified' : `⛔ \`${c.actual}\``;
    return ok ? shown : `❌ ${shown} (expected ${c.expected})`;
  };
  const lines = rows.map(
    (r) =>
      `| ${r.group} | \`${r.scenario}\` | ${r.attack} | ${MODES.map((m) => cell(r.cells[m])).join(' | ')} |`,
  );
  const failures = rows.flatMap((r) =>
    MODES.filter((m) => {
      const c = r.cells[m];
      return c && c.actual !== 'n/a' && c.actual !== c.expected;
    }).map((m) => `${r.scenario} / ${m}`),
  );
  const cases = rows.reduce(
    (n, r) => n + MODES.filter((m) => r.cells[m] && r.cells[m]!.actual !== 'n/a').length,
    0,
  );
  return [
    `<!-- generated by main/verification/matrix.test.ts (scripts/matrix-report.mjs); do not edit by hand -->`,
    ``,
    `# Verification matrix`,
    ``,
    `Every scenario of the fault-injection server (main/test-support/fault-server.ts) runs`,
    `sequential and segmented, through the CLI (\`download --json\`) and the job manager (real`,
    `SecureDownloader over a real SecureClient); every feed-tampering scenario runs through`,
    `\`install --json\` and the update service with job downloads. After each case the test`,
    `asserts: \`dest\` absent or verified; the part state consistent (a resume state parses, sits`,
    `beside a part file of its size and claims only the resource's true bytes; nothing is left`,
    `after success or a condemning failure); the job store loads; the installed LLMrecon`,
    `components are unchanged unless the install succeeded. Regenerate with`,
    `\`node scripts/matrix-report.mjs\` (or \`MATRIX_REPORT=docs/verification-matrix.md npx vitest run`,
    `main/verification/matrix.test.ts\`).`,
    ``,
    `Last run: ${meta.when}, ${cases} cases in ${meta.seconds.toFixed(1)} s, ` +
      `${failures.length === 0 ? 'all as expected' : `${failures.length} UNEXPECTED: ${failures.join(', ')}`}.`,
    ``,
    `✅ verified = the file at \`dest\` has the expected sha256 · ⛔ = refused with exactly this code · ` +
      `seq = 1 connection, seg = 4 connections (64 KiB minimum segment, 128 KiB range requests).`,
    ``,
    head,
    sep,
    ...lines,
    ``,
  ].join('\n');
}

/** Write the rendered table to `file`. */
export async function writeMatrix(file: string, markdown: string): Promise<void> {
  await writeFile(file, markdown);
}
