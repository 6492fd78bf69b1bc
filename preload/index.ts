/**
 * The Electron preload: one sandboxed CommonJS bundle that exposes `window.updater` and
 * nothing else. The API comes from the contract via createUpdaterApi (one named function
 * per operation, `onX(listener) → unsubscribe` per event). `ipcRenderer` itself, and any
 * generic invoke/send, stay inside this closure: a page that could call
 * `ipcRenderer.invoke(anyChannel)` or `.on` with the raw event could reach every channel.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createUpdaterApi, type BridgeTransport } from './bridge-core';
import { EVENT_IPC_CHANNEL } from './channels';
import type { Envelope, EventChannel } from './contract';

const listeners = new Map<EventChannel, Set<(payload: unknown) => void>>();

/** Dispatch one batch from main; malformed batches are ignored. */
function dispatchBatch(batch: unknown): void {
  if (!Array.isArray(batch)) return;
  for (const item of batch as { event?: unknown; payload?: unknown }[]) {
    const set = listeners.get(item?.event as EventChannel);
    if (!set) continue;
    for (const listener of [...set]) {
      try {
        listener(item.payload);
      } catch (err) {
        console.error(err);
      }
    }
  }
}

// The raw event object is never handed to page code: only the payloads are.
ipcRenderer.on(EVENT_IPC_CHANNEL, (_event, batch: unknown) => dispatchBatch(batch));

const transport: BridgeTransport = {
  async invoke(channel, args) {
    try {
      return (await ipcRenderer.invoke(channel, args)) as Envelope<unknown>;
    } catch (err) {
      return {
        ok: false,
        error: {
          code: 'ERR_INTERNAL',
          message: err instanceof Error ? err.message : String(err),
          retryable: false,
        },
      };
    }
  },
  subscribe(event, listener) {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    // Wrap so subscribing the same function twice gives two independent subscriptions.
    const entry = (payload: unknown) => listener(payload);
    set.add(entry);
    return () => void set.delete(entry);
  },
};

contextBridge.exposeInMainWorld('updater', createUpdaterApi(transport));
