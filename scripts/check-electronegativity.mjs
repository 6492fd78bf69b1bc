#!/usr/bin/env node
// Static security scan with @doyensec/electronegativity over the built app and the Electron
// sources (dist/main, dist/preload, dist/renderer/index.html, main/app, preload). The tool
// exits 0 even with findings, so its findings are evaluated here: any HIGH or MEDIUM finding
// that no entry of security/electronegativity-allowlist.json justifies fails the check.
// Its network lookups (translations, Electron's release list) are failed at once by
// scripts/electronegativity-scan.mjs so an offline run costs no waiting.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transformSync } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Severities that fail the check unless allow-listed. */
export const FAILING_SEVERITIES = new Set(['HIGH', 'MEDIUM']);

/**
 * Normalise the scanner's findings and map scanned bundle copies back to repo paths.
 * @param {{ check: string, severity: string, file: string, location: string, sample: string }[]} raw
 */
export function normalizeFindings(raw) {
  return raw.map((f) => ({
    ...f,
    severity: String(f.severity).trim().toUpperCase(),
    file: String(f.file).replace(/^(dist\/(?:main|preload)\/.+)\.js$/, '$1.cjs'),
    sample: String(f.sample ?? ''),
  }));
}

/**
 * Split findings into failures (HIGH/MEDIUM, not allow-listed) and report unused entries.
 * An entry matches a finding by `check`, exact `file`, and the `match` regex on the sample.
 * @param {ReturnType<typeof parseFindings>} findings
 * @param {{ check: string, file: string, match: string, reason: string }[]} allowList
 */
export function evaluateFindings(findings, allowList) {
  for (const [i, e] of allowList.entries()) {
    for (const key of ['check', 'file', 'match', 'reason'])
      if (typeof e[key] !== 'string' || e[key].trim() === '')
        throw new Error(`allow-list entry ${i} has no "${key}"`);
    if (e.reason.trim().length < 20)
      throw new Error(`allow-list entry ${i} (${e.check} in ${e.file}) needs a real reason`);
  }
  const used = new Set();
  const failures = [];
  for (const f of findings) {
    if (!FAILING_SEVERITIES.has(f.severity)) continue;
    const index = allowList.findIndex(
      (e) => e.check === f.check && e.file === f.file && new RegExp(e.match).test(f.sample),
    );
    if (index === -1) failures.push(f);
    else used.add(index);
  }
  const unused = allowList.filter((_e, i) => !used.has(i));
  return { failures, unused };
}

/** Copy what is scanned into one folder (Electronegativity reads .js/.ts/.html, not .cjs). */
function stageInput(dir) {
  const copy = (from, to) => {
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, to);
  };
  for (const sub of ['main', 'preload']) {
    const src = join(root, 'dist', sub);
    if (!existsSync(src)) throw new Error(`dist/${sub} is missing; run "npm run build" first`);
    for (const name of readdirSync(src)) {
      if (!name.endsWith('.cjs')) continue;
      // Its Babel parser predates class static blocks and other ES2022 syntax and would skip
      // the whole bundle ("Unknown node type StaticBlock"), so the scanned copy is lowered.
      const { code } = transformSync(readFileSync(join(src, name), 'utf8'), {
        loader: 'js',
        target: 'es2019',
        legalComments: 'none',
      });
      const to = join(dir, 'dist', sub, name.replace(/\.cjs$/, '.js'));
      mkdirSync(dirname(to), { recursive: true });
      writeFileSync(to, code);
    }
  }
  copy(join(root, 'dist/renderer/index.html'), join(dir, 'dist/renderer/index.html'));
  const notTest = (src) => !/\.test\.tsx?$/.test(src);
  cpSync(join(root, 'main/app'), join(dir, 'main/app'), { recursive: true, filter: notTest });
  cpSync(join(root, 'preload'), join(dir, 'preload'), { recursive: true, filter: notTest });
  // Electronegativity reads the Electron version from package.json.
  copy(join(root, 'package.json'), join(dir, 'package.json'));
}

/**
 * Run Electronegativity over a folder with network lookups blocked.
 * Returns the parsed findings, the files it could not parse, and its raw output.
 * @param {string} input folder to scan
 * @param {string} work scratch folder for the report
 */
export function runScanner(input, work) {
  const report = join(work, 'electronegativity-report.json');
  const r = spawnSync(
    process.execPath,
    [join(root, 'scripts/electronegativity-scan.mjs'), input, report],
    { cwd: work, encoding: 'utf8', timeout: 180_000 },
  );
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  let parsed = null;
  try {
    parsed = JSON.parse(readFileSync(report, 'utf8'));
  } catch {
    // No report: reported below as a scanner failure.
  }
  if (r.status !== 0 || !parsed || !Array.isArray(parsed.findings))
    return { ok: false, output, findings: [], unparsed: [], exit: r.status ?? r.signal };
  // A file the scanner cannot parse is a file it did not check: callers must not pass it.
  const unparsed = parsed.unparsed.map((u) => ({
    file: u.file.startsWith(input) ? u.file.slice(input.length + 1) : u.file,
    why: u.why,
  }));
  return { ok: true, output, findings: normalizeFindings(parsed.findings), unparsed };
}

/** Stage, scan, evaluate; returns the problems (empty when the check passes). */
function check(work) {
  const input = join(work, 'input');
  try {
    stageInput(input);
  } catch (err) {
    return { problems: [err.message] };
  }
  const scan = runScanner(input, work);
  if (!scan.ok)
    return {
      problems: [`the scanner did not produce a report (exit ${scan.exit})`, scan.output.trim()],
    };
  if (scan.unparsed.length)
    return {
      problems: scan.unparsed.map((u) => `the scanner could not parse ${u.file}: ${u.why}`),
    };
  const allowList = JSON.parse(
    readFileSync(join(root, 'security/electronegativity-allowlist.json'), 'utf8'),
  ).entries;
  const { failures, unused } = evaluateFindings(scan.findings, allowList);
  for (const e of unused)
    console.warn(
      `electronegativity: allow-list entry no longer matches anything (remove it): ${e.check} ${e.file} /${e.match}/`,
    );
  return {
    problems: failures.map(
      (f) =>
        `${f.severity} ${f.check} ${f.file}:${f.location} not in security/electronegativity-allowlist.json: ${f.sample.trim().slice(0, 160)}`,
    ),
    findings: scan.findings,
  };
}

function main() {
  const started = Date.now();
  const work = mkdtempSync(join(tmpdir(), 'um-eneg-'));
  let result;
  try {
    result = check(work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (result.problems.length) {
    console.error(
      ['electronegativity check FAILED:', ...result.problems.map((p) => `  - ${p}`)].join('\n'),
    );
    process.exit(1);
  }
  const low = result.findings.filter((f) => !FAILING_SEVERITIES.has(f.severity)).length;
  console.log(
    `electronegativity: ${result.findings.length} finding(s), none unjustified at HIGH/MEDIUM (${low} low/informational) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
