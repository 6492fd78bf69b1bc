/**
 * The kill -9 harness shared by the vitest test and scripts/soak-jobs.mjs: serves several
 * multi-MB files over TLS 1.3 (per-run test PKI, rate-limited so kills land mid-download),
 * runs the bundled kill-runner as a child process, SIGKILLs it at random moments, checks
 * the job store after every kill, and finally lets it finish and verifies every file.
 * Test-only; never bundled into the app.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { createTestPki } from '../../test-support/pki';
import { startTlsServer } from '../../test-support/tls-server';
import { createRangeHandler } from './range-handler';
import type { KillRunnerConfig } from './kill-runner';

/** Options of {@link runKillSoak}. */
export interface KillSoakOptions {
  /** Absolute path of kill-runner.ts. */
  runnerEntry: string;
  cycles: number;
  files?: number;
  fileSize?: number;
  /** Server rate limit per response. */
  bytesPerSecond?: number;
  /** The runner is killed a random time in [min, max] ms after it was spawned. */
  killWindowMs?: [number, number];
  maxActive?: number;
  connectionsPerJob?: number;
  minSegmentSize?: number;
  finalTimeoutMs?: number;
  random?: () => number;
  log?: (line: string) => void;
  /** Keep the work directory (for debugging). */
  keep?: boolean;
}

/** What one kill cycle saw. */
export interface CycleReport {
  cycle: number;
  killAfterMs: number;
  /** False when the runner finished on its own before the kill. */
  killed: boolean;
  /** Body bytes the server sent during this cycle. */
  bytesSent: number;
  /** Jobs in the store after the kill, and how many of them were completed. */
  storeJobs: number;
  completedJobs: number;
  /** Bytes the store's checkpoints covered after the kill. */
  checkpointedBytes: number;
  /**
   * Bytes sent this cycle that did not end up as checkpointed progress: fetched again
   * later (lost in flight, or written after the last checkpoint). Never below zero.
   */
  wastedBytes: number;
}

/** The outcome of a soak. */
export interface KillSoakResult {
  cycles: CycleReport[];
  /** Sum of all file sizes. */
  totalBytes: number;
  /** Body bytes the server sent over the whole soak. */
  bytesSent: number;
  /** bytesSent − totalBytes: fetched more than once (lost in flight or untrusted after a kill). */
  reDownloaded: number;
  /** Bytes dropped from the downloader's resume state to match the job store's checkpoint. */
  clampedBytes: number;
  /** Files whose final sha256 matched. */
  verified: number;
  /** Invariant violations; empty when everything held. */
  problems: string[];
  durationMs: number;
}

interface StoredJob {
  id: string;
  state: string;
  dest: string;
  checkpoint: { ranges: [number, number][] } | null;
}

interface RunOutcome {
  killed: boolean;
  exitCode: number | null;
  lines: Record<string, unknown>[];
  stderr: string;
}

function runChild(
  bundle: string,
  configFile: string,
  killAfterMs: number | null,
  timeoutMs: number,
): Promise<RunOutcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bundle, configFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: Record<string, unknown>[] = [];
    let stderr = '';
    let killed = false;
    createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ event: 'garbage', line });
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, killAfterMs ?? timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ killed, exitCode: code, lines, stderr });
    });
  });
}

/** Run the soak; never throws for invariant violations (they are listed in `problems`). */
export async function runKillSoak(opts: KillSoakOptions): Promise<KillSoakResult> {
  const started = Date.now();
  const log = opts.log ?? (() => undefined);
  const random = opts.random ?? Math.random;
  const fileCount = opts.files ?? 4;
  const fileSize = opts.fileSize ?? 3 * 1024 * 1024;
  const [minKill, maxKill] = opts.killWindowMs ?? [150, 1200];
  const work = mkdtempSync(join(tmpdir(), 'jobs-kill9-'));
  const pki = createTestPki();
  const files = new Map<string, Buffer>();
  for (let i = 0; i < fileCount; i++) files.set(`/f${i}.bin`, randomBytes(fileSize + i * 4099));
  const range = createRangeHandler({ files, bytesPerSecond: opts.bytesPerSecond ?? 256 * 1024 });
  const server = await startTlsServer({
    cert: pki.chainPem,
    key: pki.leaf.key,
    handler: range.handler,
  });
  const problems: string[] = [];
  const cycles: CycleReport[] = [];
  let clampedBytes = 0;
  let verified = 0;
  try {
    const bundle = join(work, 'kill-runner.cjs');
    await build({
      entryPoints: [opts.runnerEntry],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['electron'],
      outfile: bundle,
      logLevel: 'silent',
    });
    const stateDir = join(work, 'state');
    const downloadDir = join(work, 'downloads');
    mkdirSync(downloadDir, { recursive: true });
    const config: KillRunnerConfig = {
      stateDir,
      downloadDir,
      caPem: pki.root.cert,
      files: [...files].map(([path, body]) => ({
        url: `${server.url}${path}`,
        name: path.slice(1),
        sha256: createHash('sha256').update(body).digest('hex'),
        size: body.length,
      })),
      maxActive: opts.maxActive ?? 3,
      connectionsPerJob: opts.connectionsPerJob ?? 2,
      minSegmentSize: opts.minSegmentSize ?? 256 * 1024,
    };
    const configFile = join(work, 'config.json');
    writeFileSync(configFile, JSON.stringify(config));
    const acked = new Set<string>();
    const storeFile = join(stateDir, 'jobs.json');

    const collect = (outcome: RunOutcome, label: string): void => {
      for (const line of outcome.lines) {
        if (line.event === 'added') acked.add(String(line.id));
        if (line.event === 'clamp') clampedBytes += Number(line.dropped);
        if (line.event === 'error') problems.push(`${label}: runner error ${JSON.stringify(line)}`);
        if (line.event === 'failed')
          problems.push(`${label}: failed jobs ${JSON.stringify(line.jobs)}`);
        if (line.event === 'notice')
          problems.push(`${label}: unexpected notice ${JSON.stringify(line.payload)}`);
      }
      if (!outcome.killed && outcome.exitCode !== 0) {
        problems.push(
          `${label}: runner exited with ${outcome.exitCode}: ${outcome.stderr.slice(0, 500)}`,
        );
      }
    };

    const inspectStore = (label: string): StoredJob[] => {
      if (!existsSync(storeFile)) {
        if (acked.size > 0) problems.push(`${label}: the store vanished`);
        return [];
      }
      let jobs: StoredJob[] = [];
      try {
        const doc = JSON.parse(readFileSync(storeFile, 'utf8')) as {
          version: number;
          jobs: StoredJob[];
        };
        if (doc.version !== 2) problems.push(`${label}: store version ${doc.version}`);
        jobs = doc.jobs;
      } catch (err) {
        problems.push(`${label}: the store is not valid JSON after a kill (${String(err)})`);
      }
      for (const id of acked) {
        if (!jobs.some((j) => j.id === id)) problems.push(`${label}: acknowledged job ${id} lost`);
      }
      for (const j of jobs) if (j.state === 'failed') problems.push(`${label}: job ${j.id} failed`);
      if (readdirSync(stateDir).some((n) => n.includes('.corrupt-'))) {
        problems.push(`${label}: the store was found corrupt`);
      }
      return jobs;
    };

    for (let cycle = 1; cycle <= opts.cycles; cycle++) {
      const killAfterMs = Math.round(minKill + random() * (maxKill - minKill));
      const before = range.bytesSent();
      const outcome = await runChild(bundle, configFile, killAfterMs, killAfterMs);
      collect(outcome, `cycle ${cycle}`);
      const jobs = inspectStore(`cycle ${cycle}`);
      const report: CycleReport = {
        cycle,
        killAfterMs,
        killed: outcome.killed,
        bytesSent: range.bytesSent() - before,
        storeJobs: jobs.length,
        completedJobs: jobs.filter((j) => j.state === 'completed').length,
        checkpointedBytes: jobs.reduce(
          (n, j) =>
            n +
            (j.state === 'completed'
              ? (files.get(`/${j.dest.split('/').pop()}`)?.length ?? 0)
              : (j.checkpoint?.ranges ?? []).reduce((m, [a, b]) => m + b - a, 0)),
          0,
        ),
        wastedBytes: 0,
      };
      report.wastedBytes = Math.max(
        0,
        report.bytesSent - (report.checkpointedBytes - (cycles.at(-1)?.checkpointedBytes ?? 0)),
      );
      cycles.push(report);
      log(
        `cycle ${cycle}: ${report.killed ? `killed after ${killAfterMs} ms` : 'finished'}, ` +
          `sent ${report.bytesSent} B, store ${report.completedJobs}/${report.storeJobs} completed, ` +
          `${report.checkpointedBytes} B checkpointed, ${report.wastedBytes} B to fetch again`,
      );
    }

    const final = await runChild(bundle, configFile, null, opts.finalTimeoutMs ?? 60_000);
    collect(final, 'final run');
    if (final.killed) problems.push('final run: did not finish in time');
    const jobs = inspectStore('final run');
    for (const f of config.files) {
      const path = join(downloadDir, f.name);
      const ok =
        existsSync(path) &&
        createHash('sha256').update(readFileSync(path)).digest('hex') === f.sha256;
      if (ok) verified++;
      else problems.push(`final: ${f.name} is missing or has the wrong sha256`);
      const job = jobs.find((j) => j.dest === path);
      if (job?.state !== 'completed')
        problems.push(`final: job for ${f.name} is ${job?.state ?? 'missing'}`);
    }
    if (jobs.length !== config.files.length) {
      problems.push(
        `final: ${jobs.length} jobs in the store for ${config.files.length} files (duplicates or losses)`,
      );
    }
    const leftovers = readdirSync(downloadDir).filter((n) => n.includes('.part'));
    if (leftovers.length > 0)
      problems.push(`final: leftover partial files ${leftovers.join(', ')}`);
    const totalBytes = config.files.reduce((n, f) => n + f.size, 0);
    return {
      cycles,
      totalBytes,
      bytesSent: range.bytesSent(),
      reDownloaded: range.bytesSent() - totalBytes,
      clampedBytes,
      verified,
      problems,
      durationMs: Date.now() - started,
    };
  } finally {
    await server.close();
    pki.cleanup();
    if (!opts.keep) rmSync(work, { recursive: true, force: true });
    else log(`work directory kept: ${work}`);
  }
}
