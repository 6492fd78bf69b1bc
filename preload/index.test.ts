import { beforeAll, describe, expect, it, vi } from 'vitest';
import { API_METHODS, EVENT_IPC_CHANNEL, EVENT_METHODS } from './channels';

const electron = vi.hoisted(() => {
  const exposed = new Map<string, unknown>();
  const rendererListeners = new Map<string, (event: unknown, ...args: unknown[]) => void>();
  return {
    exposed,
    rendererListeners,
    contextBridge: {
      exposeInMainWorld: vi.fn((key: string, api: unknown) => void exposed.set(key, api)),
    },
    ipcRenderer: {
      invoke: vi.fn(async (channel: string, args: unknown) => ({
        ok: true,
        value: { channel, args },
      })),
      on: vi.fn((channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
        rendererListeners.set(channel, listener);
      }),
      send: vi.fn(),
    },
  };
});
vi.mock('electron', () => ({
  contextBridge: electron.contextBridge,
  ipcRenderer: electron.ipcRenderer,
}));

type Api = Record<string, (...args: unknown[]) => unknown>;

describe('preload/index', () => {
  let api: Api;
  beforeAll(async () => {
    await import('./index');
    api = electron.exposed.get('updater') as Api;
  });

  it('exposes exactly one global, window.updater', () => {
    expect([...electron.exposed.keys()]).toEqual(['updater']);
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
  });

  it('exposes one named function per contract operation and nothing generic', () => {
    expect(Object.keys(api).sort()).toEqual(
      [...Object.keys(API_METHODS), ...Object.keys(EVENT_METHODS)].sort(),
    );
    for (const forbidden of ['invoke', 'send', 'on', 'ipcRenderer', 'sendSync', 'postMessage'])
      expect(api).not.toHaveProperty(forbidden);
    expect(Object.values(api).every((v) => typeof v === 'function')).toBe(true);
    expect(Object.values(api)).not.toContain(electron.ipcRenderer.invoke);
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('invokes the contract channel of each named operation', async () => {
    await expect(api.pauseJob!({ id: 'j1' })).resolves.toEqual({
      ok: true,
      value: { channel: 'jobs:pause', args: { id: 'j1' } },
    });
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith('jobs:pause', { id: 'j1' });
  });

  it('turns a rejected invoke into an ERR_INTERNAL envelope', async () => {
    electron.ipcRenderer.invoke.mockRejectedValueOnce(new Error('No handler registered'));
    await expect(api.listJobs!()).resolves.toEqual({
      ok: false,
      error: { code: 'ERR_INTERNAL', message: 'No handler registered', retryable: false },
    });
  });

  it('delivers batched event payloads (never the raw IPC event) until unsubscribed', () => {
    const deliver = electron.rendererListeners.get(EVENT_IPC_CHANNEL)!;
    expect(deliver).toBeTypeOf('function');
    const seen: unknown[] = [];
    const unsubscribe = api.onNotice!((p: unknown) => seen.push(p)) as () => void;
    const rawEvent = { sender: 'ipcRenderer-internals' };
    deliver(rawEvent, [
      { event: 'app:notice', payload: { message: 'one' } },
      { event: 'jobs:batch', payload: { jobs: [], removed: [] } },
      { event: 'app:notice', payload: { message: 'two' } },
    ]);
    expect(seen).toEqual([{ message: 'one' }, { message: 'two' }]);
    unsubscribe();
    deliver(rawEvent, [{ event: 'app:notice', payload: { message: 'three' } }]);
    expect(seen).toHaveLength(2);
  });

  it('ignores malformed batches and keeps other listeners when one throws', () => {
    const deliver = electron.rendererListeners.get(EVENT_IPC_CHANNEL)!;
    const seen: unknown[] = [];
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const a = api.onLog!(() => {
      throw new Error('listener bug');
    }) as () => void;
    const b = api.onLog!((p: unknown) => seen.push(p)) as () => void;
    deliver({}, 'not a batch');
    deliver({}, [null, { event: 'diagnostics:log', payload: 1 }]);
    expect(seen).toEqual([1]);
    a();
    b();
    errors.mockRestore();
  });

  it('requires a listener function', () => {
    expect(() => api.onNotice!('nope')).toThrow(TypeError);
  });
});
