#!/usr/bin/env node
// `npm run test:electron`: the Playwright `_electron` spec needs a real Electron binary and,
// on Linux, a display. Where either is missing it prints "Electron e2e not run: <reason>"
// and exits 0, so it never shows up as a skipped test; host-mode e2e stays the CI gate.
// scripts/test.mjs uses electronE2eBlocker() to report the same reason in its summary.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { electronBinary } from './electron-detect.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Why the Electron e2e cannot run here, or null when it can. */
export function electronE2eBlocker(dir = root, env = process.env, platform = process.platform) {
  if (!electronBinary(dir, env))
    return 'no Electron binary is installed (its download is skipped: allowScripts / ELECTRON_SKIP_BINARY_DOWNLOAD)';
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY)
    return 'Electron is installed but there is no display (DISPLAY / WAYLAND_DISPLAY unset; try xvfb-run)';
  return null;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const blocker = electronE2eBlocker();
  if (blocker) {
    console.log(`Electron e2e not run: ${blocker}`);
    process.exit(0);
  }
  const build = spawnSync(
    process.execPath,
    [join(root, 'scripts/build.mjs'), '--if-stale', '--quiet'],
    {
      stdio: 'inherit',
    },
  );
  if (build.status !== 0) process.exit(build.status ?? 1);
  const r = spawnSync(
    join(root, 'node_modules/.bin/playwright'),
    ['test', '-c', join(root, 'playwright.electron.config.ts'), ...process.argv.slice(2)],
    { cwd: root, stdio: 'inherit' },
  );
  process.exit(r.status ?? 1);
}
