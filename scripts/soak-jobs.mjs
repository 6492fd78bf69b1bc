#!/usr/bin/env node
/**
 * Job store soak: 100+ kill -9 cycles of a JobManager using the real SecureDownloader and
 * SecureClient against a local rate-limited TLS 1.3 server, then verify every file and
 * report the bytes fetched again per cycle.
 *
 *   node scripts/soak-jobs.mjs [--cycles 120] [--files 4] [--size-mib 8] [--rate-kib 96]
 *                              [--window 300,2000] [--json] [--keep]
 *
 * Exit code 0 only when no invariant was violated (no job lost, store always valid JSON,
 * never failed, every final sha256 right, no leftover part files).
 */
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    cycles: { type: 'string', default: '120' },
    files: { type: 'string', default: '4' },
    'size-mib': { type: 'string', default: '8' },
    'rate-kib': { type: 'string', default: '96' },
    window: { type: 'string', default: '300,2000' },
    json: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});

// Bundle the TypeScript harness next to node_modules so its external packages resolve.
const outDir = join(root, 'node_modules', '.cache', 'soak-jobs');
mkdirSync(outDir, { recursive: true });
const harnessFile = join(outDir, 'kill-harness.cjs');
await build({
  entryPoints: [join(root, 'main/jobs/testing/kill-harness.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  outfile: harnessFile,
  logLevel: 'silent',
});
const { runKillSoak } = createRequire(import.meta.url)(harnessFile);

const [minKill, maxKill] = values.window.split(',').map(Number);
const mib = (n) => (n / 1024 / 1024).toFixed(2);
const result = await runKillSoak({
  runnerEntry: join(root, 'main/jobs/testing/kill-runner.ts'),
  cycles: Number(values.cycles),
  files: Number(values.files),
  fileSize: Math.round(Number(values['size-mib']) * 1024 * 1024),
  bytesPerSecond: Number(values['rate-kib']) * 1024,
  killWindowMs: [minKill, maxKill],
  finalTimeoutMs: 600_000,
  keep: values.keep,
  log: values.json ? undefined : (line) => console.log(line),
});

const killed = result.cycles.filter((c) => c.killed);
const midDownload = killed.filter((c) => c.completedJobs < Number(values.files));
const wasted = midDownload.map((c) => c.wastedBytes).sort((a, b) => a - b);
const pct = (p) => wasted[Math.min(wasted.length - 1, Math.floor((p / 100) * wasted.length))] ?? 0;
const summary = {
  ok: result.problems.length === 0,
  cycles: result.cycles.length,
  killedMidDownload: midDownload.length,
  totalMiB: Number(mib(result.totalBytes)),
  sentMiB: Number(mib(result.bytesSent)),
  reDownloadedMiB: Number(mib(result.reDownloaded)),
  reDownloadedPerKillKiB: Math.round(result.reDownloaded / Math.max(1, midDownload.length) / 1024),
  perCycleWastedKiB: {
    p50: Math.round(pct(50) / 1024),
    p90: Math.round(pct(90) / 1024),
    max: Math.round(pct(100) / 1024),
  },
  clampedKiB: Math.round(result.clampedBytes / 1024),
  verifiedFiles: result.verified,
  durationS: Math.round(result.durationMs / 1000),
  problems: result.problems,
};
if (values.json) console.log(JSON.stringify({ ...summary, perCycle: result.cycles }));
else {
  console.log('\nsummary');
  console.table(
    Object.fromEntries(
      Object.entries(summary).filter(([k]) => k !== 'problems' && k !== 'perCycleWastedKiB'),
    ),
  );
  console.log('re-downloaded per mid-download kill (KiB):', summary.perCycleWastedKiB);
  if (result.problems.length) console.log('PROBLEMS:\n' + result.problems.join('\n'));
}
process.exit(summary.ok ? 0 : 1);
