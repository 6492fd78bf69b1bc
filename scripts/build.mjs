#!/usr/bin/env node
// Builds every bundle: main entry points and the preload with esbuild (CommonJS, node20;
// the sandboxed preload must be one CJS file), the renderer with Vite, and the host-mode
// bridge as a classic script beside the renderer. `--if-stale` skips work when dist is
// newer than every source file.
import { build } from 'esbuild';
import { build as viteBuild } from 'vite';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const args = new Set(process.argv.slice(2));
const quiet = args.has('--quiet');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

if (
  args.has('--if-stale') &&
  existsSync(join(root, 'dist/main/host.cjs')) &&
  existsSync(join(root, 'dist/renderer/index.html'))
) {
  const built = Math.min(
    statSync(join(root, 'dist/main/host.cjs')).mtimeMs,
    statSync(join(root, 'dist/renderer/index.html')).mtimeMs,
  );
  const src = Math.max(
    ...['main', 'preload', 'renderer', 'assets'].map((d) => newestMtime(join(root, d))),
  );
  if (built > src) process.exit(0);
}

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  // Optional native accelerators of ws; the pure-JS fallbacks are used.
  external: ['electron', 'bufferutil', 'utf-8-validate'],
};

const started = Date.now();
// Renderer first: Vite empties dist/renderer.
await viteBuild({ configFile: join(root, 'vite.config.ts'), logLevel: quiet ? 'error' : 'warn' });

const mainEntries = {
  host: 'main/host/host-main.ts',
  cli: 'main/cli/cli-main.ts',
  'electron-main': 'main/app/electron-main.ts',
};
await Promise.all([
  ...Object.entries(mainEntries)
    .filter(([, src]) => existsSync(join(root, src)))
    .map(([name, src]) =>
      build({
        ...common,
        entryPoints: [join(root, src)],
        outfile: join(root, `dist/main/${name}.cjs`),
      }),
    ),
  existsSync(join(root, 'preload/index.ts')) &&
    build({
      ...common,
      platform: 'browser',
      entryPoints: [join(root, 'preload/index.ts')],
      outfile: join(root, 'dist/preload/preload.cjs'),
    }),
  build({
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'chrome130',
    entryPoints: [join(root, 'preload/host-bridge.ts')],
    outfile: join(root, 'dist/renderer/host-bridge.js'),
  }),
]);
if (!quiet) console.log(`build: done in ${Date.now() - started} ms`);
