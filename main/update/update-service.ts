/**
 * The update service: checks the signed feed (on start, on an interval and on demand),
 * keeps the last known good view, and installs, updates and rolls back components.
 * Implements UpdateService from main/core/services.ts; emits 'updates:status' and
 * 'updates:available' through the EventHub.
 */
import { createReadStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, toErrorPayload } from '../errors';
import type { EventHub, UpdateService } from '../core/services';
import type { ComponentStatus, InstallResult, UpdateStatus } from '../../preload/contract';
import type { DownloadFn } from './download-adapters';
import { readJsonOrNull, writeJsonDurable } from './durable-file';
import { FeedError } from './errors';
import {
  feedCacheDir,
  openFeed,
  type FeedSession,
  type FeedSource,
  type FeedView,
} from './feed-client';
import { Installer, type InstallerPhase, type RecoveryReport, type SwapStep } from './installer';
import type { ExtractLimits } from './extract';
import { componentKey, parseComponentKey, type Channel, type FeedTarget } from './target-meta';
import type { FeedHttpClient } from './tuf-fetcher';
import {
  assertInstallAllowed,
  isUpdate,
  latestFor,
  selectRelease,
  type Platform,
} from './version-rules';

/** Options of {@link createUpdateService}. */
export interface UpdateServiceOptions {
  stateDir: string;
  feed: FeedSource;
  http: FeedHttpClient;
  download: DownloadFn;
  installRoot: string;
  coreBinaryPath: string;
  backupsToKeep?: number;
  /** The user's channel (a function so settings changes apply to the next check). */
  channel?: Channel | (() => Channel);
  platform?: Platform;
  events?: EventHub;
  /** Default 24 h; 0 disables the timer. */
  checkIntervalMs?: number | (() => number);
  validateTimeoutMs?: number;
  limits?: ExtractLimits;
  onStep?: (step: SwapStep, key: string) => void | Promise<void>;
}

/** The service plus its life-cycle. */
export interface UpdateServiceHandle extends UpdateService {
  /** Repair interrupted installs, then check (unless `check: false`) and start the timer. */
  start(options?: { check?: boolean }): Promise<RecoveryReport[]>;
  close(): Promise<void>;
  readonly installer: Installer;
}

type Phase = ComponentStatus['phase'];

interface Runtime {
  phase: Phase;
  jobId: string | null;
  lastResult: ComponentStatus['lastResult'];
}

interface LastGood {
  view: FeedView;
  at: number;
}

const DAY_MS = 24 * 3_600_000;

/** Create the update service. Call start() once. */
export function createUpdateService(options: UpdateServiceOptions): UpdateServiceHandle {
  const installer = new Installer({
    stateDir: options.stateDir,
    installRoot: options.installRoot,
    coreBinaryPath: options.coreBinaryPath,
    backupsToKeep: options.backupsToKeep,
    validateTimeoutMs: options.validateTimeoutMs,
    limits: options.limits,
    onStep: options.onStep,
  });
  const platform = options.platform ?? { os: process.platform, arch: process.arch };
  const channel = (): Channel =>
    typeof options.channel === 'function' ? options.channel() : (options.channel ?? 'stable');
  const runtime = new Map<string, Runtime>();
  const notified = new Set<string>();
  let lastGood: LastGood | null = null;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  let checking: Promise<UpdateStatus> | null = null;
  let status: UpdateStatus = {
    feed: {
      url: options.feed.url,
      label: options.feed.label ?? new URL(options.feed.url).host,
      demo: options.feed.demo ?? false,
      state: 'unknown',
      validUntil: null,
      lastCheckedAt: null,
      error: null,
    },
    components: [],
  };

  const lastGoodFile = async () =>
    join(await feedCacheDir(options.stateDir, options.feed), 'last-good.json');

  const rt = (key: string): Runtime => {
    let r = runtime.get(key);
    if (!r) runtime.set(key, (r = { phase: 'idle', jobId: null, lastResult: null }));
    return r;
  };

  const emit = (): void => options.events?.emit('updates:status', status);

  const setPhase = (key: string, phase: Phase): void => {
    rt(key).phase = phase;
    status = {
      ...status,
      components: status.components.map((c) => (c.key === key ? { ...c, phase } : c)),
    };
    emit();
  };

  // Build the component list from the last known good view plus what is installed.
  async function buildComponents(): Promise<ComponentStatus[]> {
    const targets = lastGood?.view.targets ?? [];
    const keys = new Set<string>(['core', 'templates']);
    for (const t of targets) keys.add(t.key);
    for (const id of await installer.modulesOnDisk()) keys.add(componentKey('module', id));
    for (const k of Object.keys((await installer.state.load()).components)) keys.add(k);
    const out: ComponentStatus[] = [];
    for (const key of [...keys].sort(order)) {
      const { kind, id } = parseComponentKey(key);
      const installed = await installer.installedVersion(key);
      const latest = latestFor(targets, key, platform, channel());
      const anyRelease = targets.find((t) => t.key === key);
      const r = rt(key);
      out.push({
        key,
        kind,
        id: id ?? (kind === 'core' ? 'llmrecon' : 'templates'),
        name: latest?.custom.name ?? anyRelease?.custom.name ?? defaultName(key),
        installedVersion: installed,
        availableVersion: latest?.custom.version ?? null,
        channel: latest?.custom.channel ?? channel(),
        size: latest?.length ?? null,
        releaseNotes: latest?.custom.releaseNotes ?? null,
        releasedAt: latest?.custom.releasedAt ?? null,
        updateAvailable: latest !== null && isUpdate(latest, installed),
        backups: (await installer.backups(key)).map((b) => b.version ?? 'unknown'),
        jobId: r.jobId,
        phase: r.phase,
        lastResult: r.lastResult,
      });
    }
    return out;
  }

  async function refreshStatus(): Promise<UpdateStatus> {
    status = { ...status, components: await buildComponents() };
    emit();
    return status;
  }

  async function session(): Promise<FeedSession> {
    const s = await openFeed({
      source: options.feed,
      stateDir: options.stateDir,
      http: options.http,
    });
    lastGood = { view: s.view, at: Date.now() };
    await writeJsonDurable(await lastGoodFile(), lastGood).catch(() => undefined);
    return s;
  }

  async function checkNow(): Promise<UpdateStatus> {
    status = { ...status, feed: { ...status.feed, state: 'checking' } };
    emit();
    try {
      const s = await session();
      status = {
        ...status,
        feed: {
          ...status.feed,
          state: 'ok',
          validUntil: s.view.validUntil,
          lastCheckedAt: Date.now(),
          error: null,
        },
      };
    } catch (err) {
      // A failed check keeps showing the last known good state, with the reason.
      const payload = toErrorPayload(err);
      const state =
        payload.code === 'ERR_FEED_EXPIRED'
          ? 'expired'
          : payload.code === 'ERR_FEED_UNREACHABLE' || payload.retryable
            ? 'unreachable'
            : 'invalid';
      status = {
        ...status,
        feed: { ...status.feed, state, lastCheckedAt: Date.now(), error: payload },
      };
    }
    await refreshStatus();
    const fresh = status.components.filter(
      (c) => c.updateAvailable && !notified.has(`${c.key}@${c.availableVersion}`),
    );
    if (fresh.length) {
      for (const c of fresh) notified.add(`${c.key}@${c.availableVersion}`);
      options.events?.emit('updates:available', { components: fresh });
    }
    return status;
  }

  function check(): Promise<UpdateStatus> {
    checking ??= checkNow().finally(() => (checking = null));
    return checking;
  }

  async function installOne(
    key: string,
    opts: { version?: string; allowDowngrade?: boolean } = {},
  ): Promise<InstallResult> {
    parseComponentKey(key);
    const r = rt(key);
    if (r.phase !== 'idle') {
      return {
        componentKey: key,
        ok: false,
        fromVersion: null,
        toVersion: null,
        error: toErrorPayload(new AppError('ERR_LOCKED', `${key} is busy (${r.phase})`)),
      };
    }
    let from: string | null = null;
    let target: FeedTarget | null = null;
    let file: string | null = null;
    try {
      from = await installer.installedVersion(key);
      setPhase(key, 'verifying');
      // Always refresh right before installing: never act on stale or unverified metadata.
      const s = await session();
      status = {
        ...status,
        feed: {
          ...status.feed,
          state: 'ok',
          validUntil: s.view.validUntil,
          lastCheckedAt: Date.now(),
          error: null,
        },
      };
      target = selectRelease(s.view.targets, key, platform, channel(), opts.version);
      const record = await installer.state.get(key);
      assertInstallAllowed(
        target,
        { installed: from, highest: record.highest },
        opts.allowDowngrade === true,
      );
      if (from === target.custom.version && opts.version === undefined) {
        return finish(key, {
          componentKey: key,
          ok: true,
          fromVersion: from,
          toVersion: from,
          error: null,
        });
      }
      const info = await s.targetInfo(target.path);
      const downloads = join(options.stateDir, 'downloads');
      await mkdir(downloads, { recursive: true });
      const name = target.path.slice(target.path.lastIndexOf('/') + 1);
      file = join(downloads, `${info.hashes.sha256 ?? Object.values(info.hashes)[0]}.${name}`);
      setPhase(key, 'downloading');
      await options.download(
        s.targetUrl(target),
        file,
        {
          size: info.length,
          sha256: info.hashes.sha256,
          sha512: info.hashes.sha512,
          pins: options.feed.pins,
        },
        undefined,
        {
          componentKey: key,
          label: `${target.custom.name ?? defaultName(key)} ${target.custom.version}`,
          onJob: (id) => (rt(key).jobId = id),
        },
      );
      setPhase(key, 'verifying');
      // Defence in depth: check length and every TUF hash ourselves before extracting.
      try {
        await info.verify(createReadStream(file));
      } catch (err) {
        throw new AppError(
          'ERR_INTEGRITY',
          `the downloaded ${key} does not match the signed metadata: ${(err as Error).message}`,
          { cause: err },
        );
      }
      const outcome = await installer.install(
        key,
        file,
        target.custom.format,
        target.custom.version,
        (p: InstallerPhase) => setPhase(key, p),
      );
      return finish(key, {
        componentKey: key,
        ok: true,
        fromVersion: outcome.from,
        toVersion: outcome.to,
        error: null,
      });
    } catch (err) {
      return finish(key, {
        componentKey: key,
        ok: false,
        fromVersion: from,
        toVersion: target?.custom.version ?? opts.version ?? null,
        error: toErrorPayload(err),
      });
    } finally {
      if (file) await rm(file, { force: true }).catch(() => undefined);
      for (const suffix of ['.part', '.part.json', '.state.json'])
        if (file) await rm(file + suffix, { force: true }).catch(() => undefined);
    }
  }

  async function finish(key: string, result: InstallResult): Promise<InstallResult> {
    const r = rt(key);
    r.phase = 'idle';
    r.jobId = null;
    r.lastResult = {
      ok: result.ok,
      version: result.toVersion,
      at: Date.now(),
      error: result.error,
    };
    await refreshStatus();
    return result;
  }

  const service: UpdateServiceHandle = {
    installer,
    status: () => status,
    check,
    install: (component, opts) => installOne(component, opts),
    async installAll() {
      await check();
      if (status.feed.state !== 'ok') {
        const error =
          status.feed.error ??
          toErrorPayload(new FeedError('ERR_FEED_INVALID', 'the feed is not usable'));
        return [{ componentKey: 'all', ok: false, fromVersion: null, toVersion: null, error }];
      }
      const results: InstallResult[] = [];
      for (const c of status.components.filter((x) => x.updateAvailable))
        results.push(await installOne(c.key));
      return results;
    },
    async rollback(component) {
      parseComponentKey(component);
      try {
        const outcome = await installer.rollback(component, () =>
          setPhase(component, 'rolling-back'),
        );
        return finish(component, {
          componentKey: component,
          ok: true,
          fromVersion: outcome.from,
          toVersion: outcome.to,
          error: null,
        });
      } catch (err) {
        return finish(component, {
          componentKey: component,
          ok: false,
          fromVersion: null,
          toVersion: null,
          error: toErrorPayload(err),
        });
      }
    },
    async start(startOptions = {}) {
      const reports = await installer.recover();
      const saved = await readJsonOrNull<LastGood>(await lastGoodFile()).catch(() => null);
      if (saved?.view?.targets) lastGood = saved;
      await refreshStatus();
      if (startOptions.check !== false) await check();
      const interval =
        typeof options.checkIntervalMs === 'function'
          ? options.checkIntervalMs()
          : (options.checkIntervalMs ?? DAY_MS);
      if (interval > 0 && !closed) {
        timer = setInterval(() => void check().catch(() => undefined), interval);
        timer.unref?.();
      }
      return reports;
    },
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      await checking?.catch(() => undefined);
    },
  };
  return service;
}

function defaultName(key: string): string {
  if (key === 'core') return 'LLMrecon core';
  if (key === 'templates') return 'Templates';
  return `Module ${key.slice('module:'.length)}`;
}

function order(a: string, b: string): number {
  const rank = (k: string) => (k === 'core' ? 0 : k === 'templates' ? 1 : 2);
  return rank(a) - rank(b) || a.localeCompare(b);
}
