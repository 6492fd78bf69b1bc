/**
 * Builds `window.updater` from the contract over any request/event transport. The Electron
 * preload and the host-mode WebSocket bridge both use it, so the API the renderer sees is
 * derived from the contract in exactly one place: one named function per operation, and
 * one `onX(listener) → unsubscribe` per event. No generic invoke is exposed.
 */
import { API_METHODS, EVENT_METHODS } from './channels';
import type { Envelope, EventChannel, InvokeChannel, UpdaterApi } from './contract';

/** What a transport must provide to the bridge. */
export interface BridgeTransport {
  invoke(channel: InvokeChannel, args: unknown): Promise<Envelope<unknown>>;
  subscribe(event: EventChannel, listener: (payload: unknown) => void): () => void;
}

/** Create the frozen `window.updater` object over a transport. */
export function createUpdaterApi(transport: BridgeTransport): UpdaterApi {
  const api: Record<string, unknown> = {};
  for (const [method, channel] of Object.entries(API_METHODS)) {
    api[method] = (args?: unknown) => transport.invoke(channel, args);
  }
  for (const [method, event] of Object.entries(EVENT_METHODS)) {
    api[method] = (listener: (payload: unknown) => void) => {
      if (typeof listener !== 'function')
        throw new TypeError(`${method} needs a listener function`);
      return transport.subscribe(event, listener);
    };
  }
  return Object.freeze(api) as UpdaterApi;
}
