#!/usr/bin/env node
// `npm test`: lint, typecheck, build, unit/integration tests (vitest), host-mode e2e
// (Playwright + Debian Chromium) and the packaging and static-security checks. Every stage
// runs even when an earlier one failed, so one run reports everything; the last line is
// the honest total counted from the runners' own JSON reports: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = mkdtempSync(join(tmpdir(), 'um-test-'));
const only = process.env.TEST_STAGES ? new Set(process.env.TEST_STAGES.split(',')) : null;
const bin = (name) => join(root, 'node_modules', '.bin', name);
const totals = { passed: 0, failed: 0, skipped: 0 };
const rows = [];

function run(cmd, args, env = {}) {
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return { ok: r.status === 0, seconds: ((Date.now() - started) / 1000).toFixed(1) };
}

/** A stage that counts as one check. */
function check(name, cmd, args, env) {
  if (only && !only.has(name)) return true;
  console.log(`\n=== ${name} ===`);
  const r = run(cmd, args, env);
  totals[r.ok ? 'passed' : 'failed']++;
  rows.push(`${name.padEnd(18)} ${r.ok ? 'ok    ' : 'FAILED'} ${r.seconds}s`);
  return r.ok;
}

/** A stage whose runner reports per-test counts in a JSON file. */
function suite(name, cmd, args, env, jsonFile, count) {
  if (only && !only.has(name)) return;
  console.log(`\n=== ${name} ===`);
  const r = run(cmd, args, env);
  let c = { passed: 0, failed: 0, skipped: 0 };
  try {
    c = count(JSON.parse(readFileSync(jsonFile, 'utf8')));
  } catch {
    // No report means the runner itself broke: count that as a failure, never as a pass.
  }
  if (!r.ok && c.failed === 0) c.failed = 1;
  for (const k of Object.keys(totals)) totals[k] += c[k];
  rows.push(
    `${name.padEnd(18)} ${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''} ${r.seconds}s`,
  );
}

check('lint', bin('eslint'), ['.', '--max-warnings=0']);
check('format', bin('prettier'), [
  '--check',
  '**/*.{ts,tsx,mjs,js,json,css,html}',
  '--log-level',
  'warn',
]);
check('typecheck', process.execPath, [join(root, 'scripts/typecheck.mjs')]);
const built = check('build', process.execPath, [join(root, 'scripts/build.mjs'), '--quiet']);

const vitestJson = join(tmp, 'vitest.json');
suite('unit', bin('vitest'), ['run'], { VITEST_JSON: vitestJson }, vitestJson, (j) => ({
  passed: j.numPassedTests,
  failed: j.numFailedTests + (j.numRuntimeErrorTestSuites ?? 0),
  skipped: j.numPendingTests + j.numTodoTests,
}));

if (built || (only && !only.has('build'))) {
  const pwJson = join(tmp, 'playwright.json');
  suite('e2e', bin('playwright'), ['test'], { PW_JSON: pwJson }, pwJson, (j) => ({
    passed: j.stats.expected + j.stats.flaky,
    failed: j.stats.unexpected + (j.errors?.length ?? 0),
    skipped: j.stats.skipped,
  }));
} else if (!only || only.has('e2e')) {
  totals.failed++;
  rows.push('e2e                skipped: the build failed');
}

// The Electron e2e runs only where an Electron binary and a display exist. Elsewhere it is
// reported with its reason, never counted as a pass, a failure or a skipped test.
if (existsSync(join(root, 'scripts/run-electron-e2e.mjs')) && (!only || only.has('electron-e2e'))) {
  const { electronE2eBlocker } = await import('./run-electron-e2e.mjs');
  const blocker = electronE2eBlocker(root);
  if (blocker) {
    console.log(`\n=== electron-e2e ===\nElectron e2e not run: ${blocker}`);
    rows.push(`electron-e2e       not run: ${blocker}`);
  } else {
    const electronJson = join(tmp, 'playwright-electron.json');
    suite(
      'electron-e2e',
      process.execPath,
      [join(root, 'scripts/run-electron-e2e.mjs')],
      { PW_JSON: electronJson },
      electronJson,
      (j) => ({
        passed: j.stats.expected + j.stats.flaky,
        failed: j.stats.unexpected + (j.errors?.length ?? 0),
        skipped: j.stats.skipped,
      }),
    );
  }
}

for (const [name, script] of [
  ['packaging', 'scripts/check-packaging.mjs'],
  ['electronegativity', 'scripts/check-electronegativity.mjs'],
]) {
  if (existsSync(join(root, script))) check(name, process.execPath, [join(root, script)]);
}

rmSync(tmp, { recursive: true, force: true });
console.log('\n=== summary ===');
for (const row of rows) console.log(row);
console.log(
  `${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`,
);
process.exit(totals.failed === 0 ? 0 : 1);
