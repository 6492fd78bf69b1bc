#!/usr/bin/env node
// Longer fuzz runs than `npm test` does: the parser, archive, TUF-metadata and IPC fuzz
// suites with FUZZ_ITERATIONS (default 20000) and FUZZ_SEED (default: a random seed, printed
// so a failure reproduces with `FUZZ_SEED=<seed> node scripts/fuzz.mjs`).
//   node scripts/fuzz.mjs [parsers|archives|tuf|ipc ...]
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const suites = {
  parsers: 'main/verification/fuzz-parsers.test.ts',
  archives: 'main/verification/fuzz-archives.test.ts',
  tuf: 'main/verification/fuzz-tuf.test.ts',
  ipc: 'main/ipc/ipc-fuzz.test.ts',
};
const picked = process.argv.slice(2);
for (const name of picked) {
  if (!suites[name]) {
    console.error(`fuzz: unknown suite ${name}; choose from ${Object.keys(suites).join(', ')}`);
    process.exit(2);
  }
}
const files = (picked.length ? picked : Object.keys(suites)).map((s) => suites[s]);
const iterations = process.env.FUZZ_ITERATIONS ?? '20000';
const seed = process.env.FUZZ_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
console.log(`fuzz: FUZZ_ITERATIONS=${iterations} FUZZ_SEED=${seed} ${files.join(' ')}`);
const r = spawnSync(
  join(root, 'node_modules', '.bin', 'vitest'),
  ['run', '--testTimeout', '1800000', ...files],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FUZZ_ITERATIONS: iterations, FUZZ_SEED: seed },
  },
);
console.log(
  `fuzz: ${r.status === 0 ? 'no findings' : 'FINDINGS'} (reproduce with FUZZ_SEED=${seed})`,
);
process.exit(r.status ?? 1);
