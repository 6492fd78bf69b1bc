#!/usr/bin/env node
// Type-checks every project: `tsc -b` over the main (Node types, real electron.d.ts),
// preload and renderer (DOM types) projects, then the tools project (tests, e2e, configs).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
let failed = false;
for (const args of [['-b'], ['-p', 'tsconfig.tools.json']]) {
  const r = spawnSync(process.execPath, [tsc, ...args], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
