#!/usr/bin/env node
// `npm start`: build if needed, then open the Electron window where Electron can run, else
// run the same core in host mode and print the loopback URL with the reason no window opened.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decideMode } from './electron-detect.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);

const built = spawnSync(
  process.execPath,
  [join(root, 'scripts/build.mjs'), '--if-stale', '--quiet'],
  { stdio: 'inherit' },
);
if (built.status !== 0) process.exit(built.status ?? 1);

const decision = decideMode({ root, env: process.env, platform: process.platform, argv });
const passThrough = argv.filter((a) => !['--host', '--no-fetch'].includes(a));
const child =
  decision.mode === 'electron'
    ? spawn(decision.bin, [root, ...passThrough], { stdio: 'inherit' })
    : spawn(process.execPath, [join(root, 'dist/main/host.cjs'), ...passThrough], {
        stdio: 'inherit',
        env: { ...process.env, LLMRECON_UM_NO_WINDOW_REASON: decision.reason },
      });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
