/**
 * The one module where main → renderer events enter the store. It loads the initial state
 * of every slice, subscribes to every event channel, coalesces bursts (job batches and log
 * lines) into at most one store update per frame, and re-syncs everything after the host
 * bridge reconnects (e.g. the host process was restarted).
 */
import type { Envelope, EventPayloads, LogLine, UpdaterApi } from '../../../preload/contract';
import {
  createFrameBatcher,
  mergeBatches,
  type FrameScheduler,
  type JobBatch,
} from './frame-batcher';
import { useStore } from './store';

/** Options for {@link connectStore}. */
export interface ConnectOptions {
  /** Frame scheduler for coalescing (tests pass a manual one). */
  schedule?: FrameScheduler;
  /** How many recent log lines to load. */
  logLimit?: number;
}

/**
 * Opt-in frame-work measurement for bench/renderer-bench.mjs: with `window.__UM_PERF__` set,
 * each coalesced job update records a `um:jobs-frame` performance measure spanning the store
 * update, React's render and commit (flushed in a microtask queued before ours) and the
 * style/layout it causes (forced by reading offsetHeight). Off by default: no entries pile up.
 */
function measured(apply: () => void): void {
  const perf = (globalThis as { __UM_PERF__?: boolean }).__UM_PERF__ === true;
  if (!perf) return apply();
  const start = performance.now();
  apply();
  queueMicrotask(() => {
    void document.body.offsetHeight;
    performance.measure('um:jobs-frame', { start, end: performance.now() });
  });
}

/** Merge an `updates:available` event into the current status. Pure. */
export function mergeAvailable(
  status: EventPayloads['updates:status'] | null,
  event: EventPayloads['updates:available'],
): EventPayloads['updates:status'] | null {
  if (!status) return null;
  const byKey = new Map(event.components.map((c) => [c.key, c]));
  const known = new Set(status.components.map((c) => c.key));
  return {
    ...status,
    components: [
      ...status.components.map((c) => byKey.get(c.key) ?? c),
      ...event.components.filter((c) => !known.has(c.key)),
    ],
  };
}

/** Load initial state and subscribe to every event; returns an unsubscribe-all function. */
export function connectStore(
  api: UpdaterApi,
  bridge?: Window['updaterBridge'],
  options: ConnectOptions = {},
): () => void {
  const s = () => useStore.getState();
  const jobs = createFrameBatcher<JobBatch>(
    mergeBatches,
    (b) => measured(() => s().applyJobBatch(b)),
    options.schedule,
  );
  const logs = createFrameBatcher<LogLine[]>(
    (a, b) => a.concat(b),
    (lines) => s().appendLogs(lines),
    options.schedule,
  );
  let pinsTimer: ReturnType<typeof setTimeout> | null = null;

  const load = async <T>(
    p: Promise<Envelope<T>>,
    ok: (v: T) => void,
    fail: (e: Extract<Envelope<T>, { ok: false }>['error']) => void,
  ) => {
    const r = await p;
    if (r.ok) ok(r.value);
    else fail(r.error);
    return r.ok;
  };
  const refreshPins = () =>
    load(
      api.listPins(),
      (v) => s().setPins(v),
      (e) => s().setPinsError(e),
    );

  const sync = async () => {
    // Pending coalesced events are older than the snapshot about to load.
    jobs.flush();
    const infoOk = await load(
      api.getAppInfo(),
      (v) => {
        s().setInfo(v);
        s().setInfoError(null);
      },
      (e) => s().setInfoError(e),
    );
    s().setConnected(infoOk);
    await Promise.all([
      load(
        api.listJobs(),
        (v) => s().setJobs(v),
        (e) => s().setJobsError(e),
      ),
      load(
        api.getSettings(),
        (v) => s().setSettings(v),
        (e) => s().setSettingsError(e),
      ),
      load(
        api.getUpdateStatus(),
        (v) => s().setUpdateStatus(v),
        (e) => s().setUpdatesError(e),
      ),
      refreshPins(),
      load(
        api.recentConnections(),
        (v) => s().setConnections(v),
        () => {},
      ),
      load(
        api.recentLogs({ limit: options.logLimit ?? 200 }),
        (v) => s().setLogs(v),
        () => {},
      ),
    ]);
  };

  const offs = [
    api.onJobsBatch((batch) => jobs.push(batch)),
    api.onUpdateStatus((status) => s().setUpdateStatus(status)),
    api.onUpdatesAvailable((event) => {
      const merged = mergeAvailable(s().updateStatus, event);
      if (merged) s().setUpdateStatus(merged);
    }),
    api.onConnection((facts) => {
      s().addConnection(facts);
      // The pinned host's "last match" changed; refresh the list, at most twice a second.
      if (!pinsTimer)
        pinsTimer = setTimeout(() => {
          pinsTimer = null;
          void refreshPins();
        }, 500);
    }),
    api.onPinReport((report) => s().addPinReport(report)),
    api.onSettingsChanged((settings) => s().setSettings(settings)),
    api.onNotice((n) => s().pushNotice(n)),
    api.onLog((line) => logs.push([line])),
    ...(bridge ? [bridge.onReconnect(() => void sync())] : []),
  ];
  void sync();
  return () => {
    if (pinsTimer) clearTimeout(pinsTimer);
    offs.forEach((off) => off());
  };
}
