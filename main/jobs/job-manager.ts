/**
 * The job manager: queue, states and actions of download jobs over a JobDownloader,
 * persisted in the crash-safe job store and reported as coalesced `jobs:batch` events.
 */
import { randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import {
  addJobSchema,
  type AddJobInput,
  type JobSnapshot,
  type JobState,
  type PauseReason,
} from '../../preload/contract';
import type { JobService } from '../core/services';
import type { DownloadPhase, DownloadProgress } from '../download/types';
import type { RetryEvent } from '../net/types';
import { AppError, InvalidArgumentError, NotFoundError, toErrorPayload } from '../errors';
import { BatchCoalescer } from './batch-coalescer';
import { coveredBytes, rangesFromSegments } from './byte-ranges';
import { loadJobStore, saveJobStore, storePathIn, type StoreLoadResult } from './job-store';
import { planStarts } from './scheduler';
import { acquireStateLock, type StateLock } from './state-lock';
import {
  RUNNING_STATES,
  TERMINAL_STATES,
  nextState,
  type JobAction,
  type Transition,
} from './state-machine';
import { STORE_VERSION, describeExpectedHash } from './store-schema';
import {
  DEFAULT_JOB_SETTINGS,
  systemClock,
  type ByteRange,
  type Clock,
  type JobDownloader,
  type JobHostPolicy,
  type JobManagerOptions,
  type JobRecord,
  type JobSettings,
} from './types';

interface LiveProgress {
  bytesPerSecond: number;
  etaSeconds: number | null;
  segments: DownloadProgress['segments'];
}

interface Run {
  ctrl: AbortController;
  host: string;
  connections: number;
  done: Promise<void>;
}

/** How long an action waits for an aborted download to let go of its files. */
const ABORT_SETTLE_MS = 10_000;

/** Remove a job's partial data: `<dest>.part` and every `<dest>.part*` sibling (resume state). */
export async function discardPartialFiles(dest: string): Promise<void> {
  const dir = dirname(dest);
  const prefix = `${basename(dest)}.part`;
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    names.filter((n) => n.startsWith(prefix)).map((n) => fsp.rm(join(dir, n), { force: true })),
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

/** The job manager. Build it with {@link createJobManager}. */
export class JobManager implements JobService {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly live = new Map<string, LiveProgress>();
  private readonly runs = new Map<string, Run>();
  private readonly actionChains = new Map<string, Promise<unknown>>();
  private readonly clock: Clock;
  private readonly downloader: JobDownloader;
  private readonly coalescer: BatchCoalescer;
  private readonly storeFile: string;
  private readonly historyLimit: number;
  private readonly checkpointIntervalMs: number;
  private nextSeq = 0;
  private saveChain: Promise<void> = Promise.resolve();
  private queuedSave: Promise<void> | null = null;
  private lastSaveAt = Number.NEGATIVE_INFINITY;
  private checkpointTimer: unknown = null;
  private scheduleQueued = false;
  private closed = false;
  private lock: StateLock | null = null;

  /** What loading the store found (problems are also emitted as an `app:notice`). */
  loadResult: StoreLoadResult | null = null;

  constructor(private readonly opts: JobManagerOptions) {
    this.clock = opts.clock ?? systemClock;
    this.downloader = opts.downloader;
    this.storeFile = storePathIn(opts.stateDir);
    this.historyLimit = opts.historyLimit ?? 200;
    this.checkpointIntervalMs = opts.checkpointIntervalMs ?? 1000;
    this.coalescer = new BatchCoalescer({
      clock: this.clock,
      intervalMs: opts.batchIntervalMs ?? 100,
      snapshot: (id) => {
        const job = this.jobs.get(id);
        return job ? this.snapshotOf(job) : null;
      },
      emit: (batch) => opts.events.emit('jobs:batch', batch),
    });
  }

  /** Lock the state directory, load and recover the store, and start the queue. */
  async open(): Promise<void> {
    await fsp.mkdir(this.opts.stateDir, { recursive: true });
    this.lock = acquireStateLock(this.opts.stateDir);
    try {
      const result = await loadJobStore(this.storeFile, this.clock.now());
      this.loadResult = result;
      this.nextSeq = result.doc.nextSeq;
      const autoResume = this.settings().autoResume;
      for (const job of result.doc.jobs) {
        this.recover(job, autoResume);
        this.jobs.set(job.id, job);
      }
      await this.persistNow();
      if (result.problem) {
        this.opts.events.emit('app:notice', {
          level: 'warning',
          code: 'ERR_STORE_CORRUPT',
          message:
            `${result.problem}.` +
            (result.movedAside ? ` The damaged file was kept as ${result.movedAside}.` : ''),
          at: this.clock.now(),
        });
      }
      this.schedule();
    } catch (err) {
      this.lock.release();
      this.lock = null;
      throw err;
    }
  }

  /**
   * Restart recovery: a job that was running (or waiting to run) when the previous
   * process died comes back paused ('interrupted'), or queued when autoResume is on. Its
   * live-only fields are cleared; its checkpoint is what the next run may trust.
   */
  private recover(job: JobRecord, autoResume: boolean): void {
    const wasActive = RUNNING_STATES.has(job.state) || job.state === 'queued';
    const interrupted = job.state === 'paused' && job.pauseReason === 'interrupted';
    if (wasActive || interrupted) {
      job.state = autoResume ? 'queued' : 'paused';
      job.pauseReason = autoResume ? null : 'interrupted';
    }
    job.nextAttemptAt = null;
    job.retryReason = null;
    job.stalledSince = null;
    if (job.checkpoint) job.downloaded = coveredBytes(job.checkpoint.ranges);
  }

  private settings(): JobSettings {
    const s = this.opts.settings?.() ?? {};
    return {
      maxActive: s.maxActive ?? DEFAULT_JOB_SETTINGS.maxActive,
      connectionsPerJob: s.connectionsPerJob ?? DEFAULT_JOB_SETTINGS.connectionsPerJob,
      perHostConnections: s.perHostConnections ?? DEFAULT_JOB_SETTINGS.perHostConnections,
      autoResume: s.autoResume ?? DEFAULT_JOB_SETTINGS.autoResume,
      downloadDir: s.downloadDir ?? join(this.opts.stateDir, 'downloads'),
    };
  }

  // ---------------------------------------------------------------------------
  // Snapshots
  // ---------------------------------------------------------------------------

  private snapshotOf(job: JobRecord): JobSnapshot {
    const live = this.live.get(job.id);
    const run = this.runs.get(job.id);
    const segments =
      live?.segments ??
      (job.checkpoint?.ranges ?? []).map(([s, e]) => ({ start: s, end: e - 1, downloaded: e - s }));
    const running = RUNNING_STATES.has(job.state);
    return {
      id: job.id,
      url: job.url,
      host: hostOf(job.url),
      dest: job.dest,
      label: job.label,
      component: job.component,
      priority: job.priority,
      state: job.state,
      pauseReason: job.pauseReason,
      error: job.error,
      attempt: job.attempt,
      nextAttemptAt: job.nextAttemptAt,
      retryReason: job.retryReason,
      stalledSince: job.stalledSince,
      total: job.total,
      downloaded: job.downloaded,
      percent: job.total ? Math.min(100, (job.downloaded / job.total) * 100) : null,
      bytesPerSecond: running ? (live?.bytesPerSecond ?? 0) : 0,
      etaSeconds: running ? (live?.etaSeconds ?? null) : null,
      segments: job.state === 'completed' ? [] : segments,
      connections: run?.connections ?? job.connections ?? this.settings().connectionsPerJob,
      expected: { ...job.expected },
      pins: [...job.policy.pins],
      sha256: job.sha256,
      createdAt: job.createdAt,
      updatedAt: job.updatedAt,
      startedAt: job.startedAt,
      finishedAt: job.finishedAt,
    };
  }

  /** Every job, highest priority first, then in order of creation. */
  list(): JobSnapshot[] {
    return [...this.jobs.values()]
      .sort((a, b) => b.priority - a.priority || a.seq - b.seq)
      .map((j) => this.snapshotOf(j));
  }

  private get(id: string): JobRecord {
    const job = this.jobs.get(id);
    if (!job) throw new NotFoundError(`No job with id ${id}`);
    return job;
  }

  /** Absolute path of a job's destination file. */
  pathOf(id: string): string {
    return this.get(id).dest;
  }

  // ---------------------------------------------------------------------------
  // Persistence
  // ---------------------------------------------------------------------------

  /**
   * Write the store now. Concurrent callers share one pending write: the write snapshots
   * the jobs when it starts, so it includes every change made before it began.
   */
  private persistNow(): Promise<void> {
    if (this.checkpointTimer !== null) {
      this.clock.clearTimeout(this.checkpointTimer);
      this.checkpointTimer = null;
    }
    if (this.queuedSave) return this.queuedSave;
    const save = this.saveChain.then(async () => {
      this.queuedSave = null;
      this.lastSaveAt = this.clock.now();
      const jobs = [...this.jobs.values()].sort((a, b) => a.seq - b.seq);
      try {
        await saveJobStore(this.storeFile, {
          version: STORE_VERSION,
          savedAt: this.clock.now(),
          nextSeq: this.nextSeq,
          jobs: jobs.map((j) => structuredClone(j)),
        });
      } catch (err) {
        (this.opts.onWarning ?? ((m, e) => console.warn(m, e)))('job store write failed', err);
      }
    });
    this.queuedSave = save;
    this.saveChain = save;
    return save;
  }

  /** Progress checkpoint: at most once per checkpoint interval. */
  private checkpointSoon(): void {
    if (this.checkpointTimer !== null || this.queuedSave || this.closed) return;
    const wait = Math.max(0, this.lastSaveAt + this.checkpointIntervalMs - this.clock.now());
    this.checkpointTimer = this.clock.setTimeout(() => {
      this.checkpointTimer = null;
      void this.persistNow();
    }, wait);
  }

  /** Record a change: bump updatedAt, tell the UI, and persist now (state changes) or soon. */
  private changed(job: JobRecord, stateChange: boolean): Promise<void> {
    job.updatedAt = this.clock.now();
    this.coalescer.touch(job.id);
    if (stateChange) return this.persistNow();
    this.checkpointSoon();
    return Promise.resolve();
  }

  // ---------------------------------------------------------------------------
  // Scheduling and runs
  // ---------------------------------------------------------------------------

  private schedule(): void {
    if (this.scheduleQueued || this.closed) return;
    this.scheduleQueued = true;
    queueMicrotask(() => {
      this.scheduleQueued = false;
      if (this.closed) return;
      const s = this.settings();
      const queued = [...this.jobs.values()]
        .filter((j) => j.state === 'queued' && !this.runs.has(j.id))
        .map((j) => ({
          id: j.id,
          host: hostOf(j.url),
          priority: j.priority,
          seq: j.seq,
          connections: j.connections ?? s.connectionsPerJob,
        }));
      if (queued.length === 0) return;
      const active = [...this.runs.values()].map((r) => ({
        host: r.host,
        connections: r.connections,
      }));
      for (const d of planStarts(queued, active, s)) this.start(this.get(d.id), d.connections);
    });
  }

  private policyFor(job: JobRecord): JobHostPolicy {
    if (!this.opts.hostPolicy) return { pins: [...job.policy.pins] };
    return this.opts.hostPolicy(new URL(job.url), [...job.policy.pins]);
  }

  private start(job: JobRecord, connections: number): void {
    const ctrl = new AbortController();
    const run: Run = { ctrl, host: hostOf(job.url), connections, done: Promise.resolve() };
    this.runs.set(job.id, run);
    const current = () => this.runs.get(job.id) === run && !ctrl.signal.aborted;
    job.state = 'connecting';
    job.pauseReason = null;
    job.error = null;
    job.attempt++;
    job.startedAt ??= this.clock.now();
    job.finishedAt = null;
    void this.changed(job, true);

    const onPhase = (
      phase: DownloadPhase,
      info?: { retry?: RetryEvent; stalledSince?: number },
    ) => {
      if (!current()) return;
      this.applyPhase(job, phase, info);
    };
    const onProgress = (p: DownloadProgress) => {
      if (!current()) return;
      job.total = p.total ?? job.total;
      job.downloaded = p.downloaded;
      this.live.set(job.id, {
        bytesPerSecond: p.bytesPerSecond,
        etaSeconds: p.etaSeconds,
        segments: p.segments,
      });
      if (p.segments.length > 0) {
        job.checkpoint = {
          ranges: rangesFromSegments(p.segments),
          total: p.total,
          at: this.clock.now(),
        };
      } else if (p.downloaded > 0) {
        job.checkpoint = { ranges: [[0, p.downloaded]], total: p.total, at: this.clock.now() };
      }
      void this.changed(job, false);
    };

    const request = {
      expectedSize: job.expected.size ?? undefined,
      expectedHash: job.expectedHash ?? undefined,
      policy: this.policyFor(job),
      connections,
      trustedRanges: (job.checkpoint?.ranges ?? []).map(([a, b]): ByteRange => [a, b]),
      observer: { onPhase, onProgress },
    };

    run.done = (async () => {
      try {
        await fsp.mkdir(dirname(job.dest), { recursive: true });
        const result = await this.downloader.download(job.url, job.dest, request, ctrl.signal);
        if (!current()) return;
        job.state = 'completed';
        job.sha256 = result.sha256;
        job.total = result.bytes;
        job.downloaded = result.bytes;
        job.checkpoint = null;
        job.finishedAt = this.clock.now();
        job.nextAttemptAt = null;
        job.retryReason = null;
        job.stalledSince = null;
        this.live.delete(job.id);
        await this.changed(job, true);
        this.pruneHistory();
      } catch (err) {
        if (!current()) return;
        this.live.delete(job.id);
        const error = toErrorPayload(err);
        job.error = error;
        job.nextAttemptAt = null;
        job.retryReason = null;
        job.stalledSince = null;
        if (error.code === 'ERR_DISK_FULL') {
          // The partial data is kept; the user frees space and resumes.
          job.state = 'paused';
          job.pauseReason = 'disk-full';
        } else {
          job.state = 'failed';
          job.finishedAt = this.clock.now();
          // A failed integrity check means the part data was wrong: never resume from it.
          if (error.code === 'ERR_INTEGRITY') job.checkpoint = null;
        }
        await this.changed(job, true);
        if (job.state === 'failed') this.pruneHistory();
      } finally {
        if (this.runs.get(job.id) === run) this.runs.delete(job.id);
        this.schedule();
      }
    })();
  }

  private applyPhase(
    job: JobRecord,
    phase: DownloadPhase,
    info?: { retry?: RetryEvent; stalledSince?: number },
  ): void {
    const before: JobState = job.state;
    job.state = phase;
    if (phase === 'retrying') {
      job.nextAttemptAt = this.clock.now() + (info?.retry?.delayMs ?? 0);
      job.retryReason = info?.retry?.reason ?? null;
    } else {
      job.nextAttemptAt = null;
      job.retryReason = null;
    }
    job.stalledSince = phase === 'stalled' ? (info?.stalledSince ?? this.clock.now()) : null;
    void this.changed(job, before !== job.state || phase === 'retrying');
  }

  /**
   * Abort a job's run synchronously. Must happen in the same tick as the state change:
   * the run checks `signal.aborted` before applying any phase or result, so no event of a
   * dying run can overwrite the state an action just chose.
   */
  private abortRun(id: string): void {
    const run = this.runs.get(id);
    if (run && !run.ctrl.signal.aborted) {
      run.ctrl.abort(new AppError('ERR_ABORTED', 'Stopped by the job manager'));
    }
  }

  /** Abort a job's run (if any) and wait until the downloader has let go of its files. */
  private async stopRun(id: string): Promise<void> {
    const run = this.runs.get(id);
    if (!run) return;
    this.abortRun(id);
    let timer: unknown;
    await Promise.race([
      run.done,
      new Promise<void>((r) => {
        timer = this.clock.setTimeout(r, ABORT_SETTLE_MS);
      }),
    ]);
    this.clock.clearTimeout(timer);
  }

  private async discard(job: JobRecord): Promise<void> {
    if (this.downloader.discard) await this.downloader.discard(job.dest);
    else await discardPartialFiles(job.dest);
    job.checkpoint = null;
    job.downloaded = 0;
    this.live.delete(job.id);
  }

  // ---------------------------------------------------------------------------
  // Actions
  // ---------------------------------------------------------------------------

  /** Serialise actions per job, so e.g. a cancel never races a pause of the same job. */
  private exclusive<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.actionChains.get(id) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.actionChains.set(id, tail);
    void tail.then(() => {
      if (this.actionChains.get(id) === tail) this.actionChains.delete(id);
    });
    return next;
  }

  private async apply(
    id: string,
    action: JobAction,
    pauseReason: PauseReason = 'user',
  ): Promise<Transition> {
    const job = this.get(id);
    const t = nextState(job.state, action);
    if (t.kind === 'noop') return t;
    if (t.abort) this.abortRun(id);
    if (t.kind === 'remove') {
      this.jobs.delete(id);
      this.live.delete(id);
      this.coalescer.remove(id);
      if (t.abort) await this.stopRun(id);
      if (t.discard) await this.discard(job);
      await this.persistNow();
      return t;
    }
    job.state = t.to;
    job.pauseReason = t.to === 'paused' ? pauseReason : null;
    job.nextAttemptAt = null;
    job.retryReason = null;
    job.stalledSince = null;
    if (t.reset) {
      job.attempt = 0;
      job.error = null;
      job.finishedAt = null;
    }
    if (t.to === 'canceled') job.finishedAt = this.clock.now();
    if (t.to === 'queued' && job.pauseReason === null) job.error = null;
    // The run was aborted above in the same tick, so late events from it are ignored; the
    // new state is durable before we wait for the run to let go of its files.
    await this.changed(job, true);
    if (t.abort) await this.stopRun(id);
    if (t.discard) {
      await this.discard(job);
      await this.changed(job, true);
    }
    if (t.to === 'queued') this.schedule();
    if (t.to === 'canceled') this.pruneHistory();
    return t;
  }

  private async act(id: string, action: JobAction): Promise<JobSnapshot> {
    this.get(id);
    return this.exclusive(id, async () => {
      if (this.jobs.has(id)) await this.apply(id, action);
      return this.snapshotOf(this.get(id));
    });
  }

  /** Add a job; it starts when the queue allows. */
  async add(input: AddJobInput): Promise<JobSnapshot> {
    if (this.closed) throw new AppError('ERR_INTERNAL', 'The job manager is closed');
    const parsed = addJobSchema.safeParse(input);
    if (!parsed.success) {
      throw new InvalidArgumentError(parsed.error.issues[0]?.message ?? 'invalid job', {
        issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    }
    const a = parsed.data;
    const dest = this.resolveDest(a.dest);
    const clash = [...this.jobs.values()].find(
      (j) => j.dest === dest && !TERMINAL_STATES.has(j.state),
    );
    if (clash) {
      throw new InvalidArgumentError(`Job ${clash.id} already downloads to ${dest}`, {
        jobId: clash.id,
      });
    }
    const expected = describeExpectedHash(a.expectedHash ?? null);
    if (a.expectedHash && !expected.digest) {
      throw new AppError(
        'ERR_INVALID_HASH',
        'The expected hash is not a sha256/sha512 hex or SRI value',
      );
    }
    const now = this.clock.now();
    const job: JobRecord = {
      id: randomUUID(),
      url: a.url,
      dest,
      label: a.label ?? null,
      component: null,
      priority: a.priority ?? 0,
      seq: this.nextSeq++,
      state: 'queued',
      pauseReason: null,
      error: null,
      attempt: 0,
      nextAttemptAt: null,
      retryReason: null,
      stalledSince: null,
      total: a.expectedSize ?? null,
      downloaded: 0,
      connections: a.connections ?? null,
      expectedHash: a.expectedHash ?? null,
      expected: { size: a.expectedSize ?? null, ...expected },
      policy: { pins: a.pins ?? [] },
      checkpoint: null,
      sha256: null,
      createdAt: now,
      updatedAt: now,
      startedAt: null,
      finishedAt: null,
    };
    this.jobs.set(job.id, job);
    await this.changed(job, true);
    this.schedule();
    return this.snapshotOf(job);
  }

  /** Tag a job as belonging to an update component (used by the update service). */
  async setComponent(id: string, component: string | null): Promise<JobSnapshot> {
    const job = this.get(id);
    job.component = component;
    await this.changed(job, true);
    return this.snapshotOf(job);
  }

  private resolveDest(dest: string): string {
    if (isAbsolute(dest)) return resolve(dest);
    const dir = resolve(this.settings().downloadDir);
    const full = resolve(dir, dest);
    const rel = relative(dir, full);
    if (!rel || rel.startsWith('..') || isAbsolute(rel)) {
      throw new InvalidArgumentError('The file name must stay inside the download directory', {
        dest,
      });
    }
    return full;
  }

  /** Pause a job (no-op unless queued or running). */
  pause(id: string): Promise<JobSnapshot> {
    return this.act(id, 'pause');
  }

  /** Resume a paused job. */
  resume(id: string): Promise<JobSnapshot> {
    return this.act(id, 'resume');
  }

  /** Cancel a job and delete its partial data (no-op once completed or canceled). */
  cancel(id: string): Promise<JobSnapshot> {
    return this.act(id, 'cancel');
  }

  /** Retry a failed or canceled job, or retry a waiting one right now. */
  retry(id: string): Promise<JobSnapshot> {
    return this.act(id, 'retry');
  }

  /** Forget a job (canceling it first if needed). Removing an unknown job is a no-op. */
  async remove(id: string): Promise<void> {
    if (!this.jobs.has(id)) return;
    await this.exclusive(id, async () => {
      if (this.jobs.has(id)) await this.apply(id, 'remove');
    });
  }

  /** Change a job's priority (higher runs first; running jobs are not preempted). */
  setPriority(id: string, priority: number): Promise<JobSnapshot> {
    this.get(id);
    if (!Number.isInteger(priority) || priority < -1000 || priority > 1000) {
      return Promise.reject(
        new InvalidArgumentError('priority must be an integer in [-1000, 1000]'),
      );
    }
    return this.exclusive(id, async () => {
      const job = this.get(id);
      if (job.priority !== priority) {
        job.priority = priority;
        await this.changed(job, true);
        this.schedule();
      }
      return this.snapshotOf(job);
    });
  }

  /** Pause every queued or running job. */
  async pauseAll(): Promise<void> {
    // Pause queued jobs first so that stopping a running one cannot start a queued one.
    const ids = [...this.jobs.values()]
      .sort((a, b) => Number(RUNNING_STATES.has(a.state)) - Number(RUNNING_STATES.has(b.state)))
      .map((j) => j.id);
    for (const id of ids) {
      if (this.jobs.has(id)) await this.exclusive(id, () => this.applyIfPresent(id, 'pause'));
    }
  }

  /** Resume every paused job. */
  async resumeAll(): Promise<void> {
    const ids = [...this.jobs.values()].filter((j) => j.state === 'paused').map((j) => j.id);
    await Promise.all(ids.map((id) => this.exclusive(id, () => this.applyIfPresent(id, 'resume'))));
  }

  private async applyIfPresent(id: string, action: JobAction): Promise<void> {
    if (this.jobs.has(id)) await this.apply(id, action);
  }

  /** Forget every completed, failed and canceled job. */
  async clearHistory(): Promise<void> {
    const ids = [...this.jobs.values()]
      .filter((j) => TERMINAL_STATES.has(j.state))
      .map((j) => j.id);
    await Promise.all(ids.map((id) => this.remove(id)));
  }

  /** Keep at most `historyLimit` finished jobs, dropping the oldest. */
  private pruneHistory(): void {
    const finished = [...this.jobs.values()]
      .filter((j) => TERMINAL_STATES.has(j.state))
      .sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0) || b.seq - a.seq);
    for (const job of finished.slice(this.historyLimit)) void this.remove(job.id);
  }

  /**
   * Stop all runs, write a final checkpoint and release the lock. Running jobs stay in
   * their state in the store, so the next start treats them exactly like a crash.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.checkpointTimer !== null) this.clock.clearTimeout(this.checkpointTimer);
    this.checkpointTimer = null;
    await Promise.all([...this.runs.keys()].map((id) => this.stopRun(id)));
    await this.persistNow();
    await this.saveChain;
    this.coalescer.flush();
    this.coalescer.dispose();
    this.lock?.release();
    this.lock = null;
  }
}

/** Create a job manager: lock the state dir, load (and recover) the store, start the queue. */
export async function createJobManager(opts: JobManagerOptions): Promise<JobManager> {
  const manager = new JobManager(opts);
  await manager.open();
  return manager;
}
