#!/usr/bin/env node
// Packaging check: runs `electron-builder --dir --linux` against a stand-in Electron dist
// (offline, no binary download, fuses off because the stand-in has no fuse sentinel), then
// lists the produced app.asar and asserts it holds the main, preload and renderer bundles
// and nothing else: no node_modules, TypeScript sources, tests or source maps. Quiet on
// success; on failure it prints every problem and exits 1. Needs `npm run build` first.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Entries the asar must contain. */
export const REQUIRED_ENTRIES = [
  '/package.json',
  '/dist/main/electron-main.cjs',
  '/dist/preload/preload.cjs',
  '/dist/renderer/index.html',
];

/** Modules a sandboxed preload may require (Electron's sandbox polyfill list). */
const SANDBOX_PRELOAD_MODULES = new Set(['electron', 'events', 'timers', 'url']);

/**
 * Audit an asar listing. `read(path)` returns a file's text (package.json, the preload).
 * Returns a list of problems; empty means the package is good.
 * @param {string[]} entries
 * @param {(path: string) => string} read
 */
export function auditAsar(entries, read) {
  const problems = [];
  const set = new Set(entries.map((e) => e.replaceAll('\\', '/')));
  for (const required of REQUIRED_ENTRIES)
    if (!set.has(required)) problems.push(`missing ${required}`);
  if (![...set].some((e) => /^\/dist\/renderer\/assets\/[^/]+\.js$/.test(e)))
    problems.push('missing the renderer script bundle (/dist/renderer/assets/*.js)');
  for (const entry of set) {
    if (entry.includes('/node_modules/') || entry.endsWith('/node_modules'))
      problems.push(`node_modules in the asar: ${entry}`);
    else if (/\.(ts|tsx|mts|cts)$/.test(entry)) problems.push(`TypeScript source: ${entry}`);
    else if (/\.map$/.test(entry)) problems.push(`source map: ${entry}`);
    else if (/(\.|\/)(test|spec|e2e)\.[cm]?[jt]sx?$|\/(e2e|test|tests|__tests__)\//.test(entry))
      problems.push(`test file: ${entry}`);
    else if (entry !== '/package.json' && entry !== '/dist' && !entry.startsWith('/dist/'))
      problems.push(`outside the files allow-list: ${entry}`);
    else if (/^\/dist\/(?!main|preload|renderer)[^/]+/.test(entry))
      problems.push(`unexpected build output: ${entry}`);
  }
  if (set.has('/package.json')) {
    const pkg = JSON.parse(read('/package.json'));
    const main = `/${String(pkg.main ?? '').replace(/^\.?\//, '')}`;
    if (!set.has(main)) problems.push(`package.json "main" (${pkg.main}) is not in the asar`);
    if (pkg.devDependencies) problems.push('package.json in the asar still lists devDependencies');
  }
  if (set.has('/dist/preload/preload.cjs')) {
    const preload = read('/dist/preload/preload.cjs');
    for (const [, mod] of preload.matchAll(/require\(["']([^"']+)["']\)/g))
      if (!SANDBOX_PRELOAD_MODULES.has(mod))
        problems.push(`the sandboxed preload requires "${mod}", which the sandbox cannot load`);
  }
  return problems;
}

function fail(lines) {
  console.error(['packaging check FAILED:', ...lines.map((l) => `  - ${l}`)].join('\n'));
  process.exit(1);
}

async function main() {
  const started = Date.now();
  const missingBuild = REQUIRED_ENTRIES.slice(1).filter((p) => !existsSync(join(root, p)));
  if (missingBuild.length)
    fail([`build output missing (${missingBuild.join(', ')}); run "npm run build" first`]);

  const work = mkdtempSync(join(tmpdir(), 'um-pack-'));
  try {
    // A stand-in Electron distribution: electron-builder only copies it and renames the binary.
    const electronDist = join(work, 'electron-dist');
    mkdirSync(electronDist);
    writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\necho "stand-in Electron"\n');
    chmodSync(join(electronDist, 'electron'), 0o755);
    const electronVersion = JSON.parse(
      readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8'),
    ).version;
    writeFileSync(join(electronDist, 'version'), electronVersion);
    copyFileSync(join(root, 'node_modules/electron/LICENSE'), join(electronDist, 'LICENSE'));
    const out = join(work, 'release');
    const config = join(work, 'electron-builder.json');
    writeFileSync(
      config,
      JSON.stringify({
        extends: join(root, 'electron-builder.yml'),
        electronDist,
        // The stand-in binary has no fuse sentinel ("Could not find sentinel").
        electronFuses: null,
        directories: { output: out },
      }),
    );
    const bin = join(root, 'node_modules/.bin/electron-builder');
    const r = spawnSync(bin, ['--dir', '--linux', '--projectDir', root, '--config', config], {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
      env: {
        ...process.env,
        ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
        CSC_IDENTITY_AUTO_DISCOVERY: 'false',
        ELECTRON_BUILDER_CACHE: join(work, 'cache'),
      },
    });
    if (r.status !== 0)
      fail([
        `electron-builder failed (exit ${r.status ?? r.signal}):`,
        (r.stdout + r.stderr).trim(),
      ]);

    const resources = join(out, 'linux-unpacked', 'resources');
    const archive = join(resources, 'app.asar');
    if (!existsSync(archive)) fail([`electron-builder produced no ${archive}`]);
    const require = createRequire(join(root, 'node_modules/electron-builder/package.json'));
    const asar = require('@electron/asar');
    const entries = asar.listPackage(archive);
    const problems = auditAsar(entries, (p) =>
      asar.extractFile(archive, p.replace(/^\//, '')).toString('utf8'),
    );
    if (!existsSync(join(resources, 'icons', 'tray.png')))
      problems.push('extraResources: icons/tray.png is missing');
    if (existsSync(join(root, 'assets/feed')) && !existsSync(join(resources, 'feed')))
      problems.push('extraResources: the production feed config (assets/feed) is missing');
    if (problems.length) fail(problems);
    console.log(
      `packaging: app.asar holds ${entries.length} entries, built output only (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
