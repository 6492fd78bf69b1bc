import { beforeEach, describe, expect, it } from 'vitest';
import {
  API_METHODS,
  EVENT_METHODS,
  type Envelope,
  type UpdaterApi,
} from '../../../preload/contract';
import { job, settingsView } from '../test-fixtures';
import { resetStore, useStore } from './store';
import { connectStore, mergeAvailable } from './subscriptions';

/**
 * A bridge built the way the real one is (one function per contract method), answering
 * from a table. This is the renderer's boundary; the socket behind it is covered by e2e.
 */
function fakeBridge(answers: Partial<Record<keyof typeof API_METHODS, Envelope<unknown>>>) {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const calls: string[] = [];
  const api: Record<string, unknown> = {};
  for (const m of Object.keys(API_METHODS))
    api[m] = async () => {
      calls.push(m);
      return (
        answers[m as keyof typeof API_METHODS] ?? {
          ok: false,
          error: {
            code: 'ERR_INTERNAL',
            message: `${m} is not available in this build`,
            retryable: false,
          },
        }
      );
    };
  for (const m of Object.keys(EVENT_METHODS))
    api[m] = (l: (p: unknown) => void) => {
      const set = listeners.get(m) ?? new Set();
      listeners.set(m, set);
      set.add(l);
      return () => set.delete(l);
    };
  const emit = (m: keyof typeof EVENT_METHODS, payload: unknown) =>
    listeners.get(m)?.forEach((l) => l(payload));
  let reconnect: (() => void) | null = null;
  const bridge = {
    kind: 'host' as const,
    onReconnect: (l: () => void) => {
      reconnect = l;
      return () => (reconnect = null);
    },
  };
  return { api: api as UpdaterApi, emit, calls, bridge, reconnect: () => reconnect?.(), listeners };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('subscriptions', () => {
  beforeEach(() => resetStore());

  describe('connectStore()', () => {
    it('loads every slice and records errors of services that are not available', async () => {
      const b = fakeBridge({
        getAppInfo: { ok: true, value: { mode: 'host', demoFeed: true } },
        listJobs: { ok: true, value: [job({ id: 'a' })] },
        getSettings: { ok: true, value: settingsView() },
        recentLogs: {
          ok: true,
          value: [{ at: 'x', level: 'info', scope: null, message: 'hello' }],
        },
      });
      connectStore(b.api, b.bridge, { schedule: () => {} });
      await tick();
      const s = useStore.getState();
      expect(s.connected).toBe(true);
      expect(s.jobOrder).toEqual(['a']);
      expect(s.settings?.jobs.maxActive).toBe(3);
      expect(s.logs.map((l) => l.message)).toEqual(['hello']);
      expect(s.updatesError?.message).toMatch(/not available/);
      expect(s.pinsError?.code).toBe('ERR_INTERNAL');
    });

    it('coalesces job batches into one store update per frame', async () => {
      const frames: (() => void)[] = [];
      const b = fakeBridge({
        getAppInfo: { ok: true, value: {} },
        listJobs: { ok: true, value: [] },
      });
      connectStore(b.api, undefined, { schedule: (cb) => frames.push(cb) });
      await tick();
      let updates = 0;
      const off = useStore.subscribe(() => updates++);
      for (let i = 1; i <= 20; i++)
        b.emit('onJobsBatch', {
          jobs: [job({ id: 'a', updatedAt: i, downloaded: i * 10 })],
          removed: [],
        });
      expect(updates).toBe(0);
      expect(frames).toHaveLength(1);
      frames.shift()!();
      expect(updates).toBe(1);
      expect(useStore.getState().jobs.a!.downloaded).toBe(200);
      off();
    });

    it('routes settings, notices, logs and connection events into their slices', async () => {
      const frames: (() => void)[] = [];
      const b = fakeBridge({});
      connectStore(b.api, undefined, { schedule: (cb) => frames.push(cb) });
      await tick();
      b.emit('onSettingsChanged', settingsView());
      b.emit('onNotice', {
        level: 'warning',
        code: 'ERR_STORE_CORRUPT',
        message: 'recovered',
        at: 1,
      });
      b.emit('onLog', { at: 't', level: 'warn', scope: 'net', message: 'one' });
      b.emit('onLog', { at: 't', level: 'info', scope: null, message: 'two' });
      frames.forEach((f) => f());
      const s = useStore.getState();
      expect(s.settings).not.toBeNull();
      expect(s.notices.map((n) => n.code)).toEqual(['ERR_STORE_CORRUPT']);
      expect(s.logs.map((l) => l.message)).toEqual(['one', 'two']);
    });

    it('re-syncs everything when the bridge reconnects', async () => {
      const b = fakeBridge({ getAppInfo: { ok: true, value: {} } });
      connectStore(b.api, b.bridge, { schedule: () => {} });
      await tick();
      const first = b.calls.filter((c) => c === 'listJobs').length;
      useStore.getState().setConnected(false);
      b.reconnect();
      await tick();
      expect(b.calls.filter((c) => c === 'listJobs').length).toBe(first + 1);
      expect(useStore.getState().connected).toBe(true);
    });

    it('unsubscribes every listener', async () => {
      const b = fakeBridge({});
      const off = connectStore(b.api, b.bridge, { schedule: () => {} });
      await tick();
      off();
      expect([...b.listeners.values()].every((s) => s.size === 0)).toBe(true);
    });
  });

  describe('mergeAvailable()', () => {
    it('replaces known components and appends new ones', () => {
      const c = (key: string, v: string) => ({ key, availableVersion: v }) as never;
      const merged = mergeAvailable(
        { feed: {} as never, components: [c('core', '1.0'), c('templates', '1.0')] },
        { components: [c('core', '2.0'), c('module:x', '1.0')] },
      );
      expect(
        merged!.components.map((x) => `${(x as { key: string }).key}@${x.availableVersion}`),
      ).toEqual(['core@2.0', 'templates@1.0', 'module:x@1.0']);
      expect(mergeAvailable(null, { components: [] })).toBeNull();
    });
  });
});
