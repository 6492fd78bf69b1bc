#!/usr/bin/env node
// Run the fault and attack matrix (main/verification/matrix.test.ts) and write its table to
// docs/verification-matrix.md (or the path given as the first argument). Exits with the
// test run's status, so a regression shows both in the table and in the exit code.
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] ?? join(root, 'docs', 'verification-matrix.md'));
const r = spawnSync(
  join(root, 'node_modules', '.bin', 'vitest'),
  ['run', 'main/verification/matrix.test.ts'],
  { cwd: root, stdio: 'inherit', env: { ...process.env, MATRIX_REPORT: out } },
);
console.log(
  `matrix-report: ${r.status === 0 ? 'all cases as expected' : 'FAILURES'}; table in ${out}`,
);
process.exit(r.status ?? 1);
