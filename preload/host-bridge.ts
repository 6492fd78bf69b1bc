/**
 * Host-mode bridge: implements `window.updater` over the loopback WebSocket. Loaded as a
 * classic script before the renderer bundle, so the same bundle runs in Electron and in a
 * browser. The session token comes from the URL fragment (never sent to any server in a
 * request line or Referer), is kept in sessionStorage for reloads, and is removed from the
 * address bar.
 */
import type { Envelope, EventChannel, InvokeChannel } from './contract';
import { createUpdaterApi } from './bridge-core';

const TOKEN_KEY = 'llmrecon-um-token';

function takeToken(): string {
  const match = /(?:^|[#&])token=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, match[1]!);
    history.replaceState(null, '', location.pathname + location.search);
    return match[1]!;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

type Pending = { resolve: (e: Envelope<unknown>) => void; channel: string };

function createWsTransport() {
  const token = takeToken();
  const url = `ws://${location.host}/ipc?token=${encodeURIComponent(token)}`;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const pending = new Map<number, Pending>();
  const queue: string[] = [];
  let nextId = 1;
  let ws: WebSocket | null = null;
  let retryMs = 250;

  const failAll = (message: string) => {
    for (const [id, p] of pending) {
      p.resolve({ ok: false, error: { code: 'ERR_NETWORK', message, retryable: true } });
      pending.delete(id);
    }
  };

  const connect = () => {
    ws = new WebSocket(url);
    ws.onopen = () => {
      retryMs = 250;
      document.documentElement.dataset.bridge = 'connected';
      for (const frame of queue.splice(0)) ws!.send(frame);
      dispatch('bridge:open' as EventChannel, null);
    };
    ws.onmessage = (ev) => {
      const msg = JSON.parse(String(ev.data));
      if (msg.t === 'result') {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        p?.resolve(msg.envelope);
      } else if (msg.t === 'event') {
        dispatch(msg.event, msg.payload);
      }
    };
    ws.onclose = () => {
      document.documentElement.dataset.bridge = 'disconnected';
      failAll('Lost connection to the update manager; reconnecting…');
      // The host may be restarting (crash recovery): reconnect with capped backoff.
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  };

  const dispatch = (event: string, payload: unknown) => {
    for (const l of listeners.get(event) ?? []) {
      try {
        l(payload);
      } catch (err) {
        console.error(err);
      }
    }
  };

  connect();
  return {
    invoke(channel: InvokeChannel, args: unknown): Promise<Envelope<unknown>> {
      return new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, { resolve, channel });
        const frame = JSON.stringify({ t: 'invoke', id, channel, args });
        if (ws?.readyState === WebSocket.OPEN) ws.send(frame);
        else queue.push(frame);
      });
    },
    subscribe(event: EventChannel | 'bridge:open', listener: (payload: unknown) => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => void set!.delete(listener);
    },
  };
}

const transport = createWsTransport();
Object.defineProperty(window, 'updater', {
  value: createUpdaterApi(transport),
  writable: false,
  configurable: false,
});
/** Lets the renderer re-sync after the bridge reconnects (host restarts). */
Object.defineProperty(window, 'updaterBridge', {
  value: Object.freeze({
    kind: 'host',
    onReconnect: (l: () => void) => transport.subscribe('bridge:open', l),
  }),
  writable: false,
});
