/** The renderer's only door to main: `window.updater`, provided by the preload or the host bridge. */
import type { UpdaterApi } from '../../preload/contract';

declare global {
  interface Window {
    updater: UpdaterApi;
    updaterBridge?: { kind: 'host'; onReconnect(listener: () => void): () => void };
  }
}

/** The typed bridge API. */
export function getApi(): UpdaterApi {
  if (!window.updater)
    throw new Error('window.updater is missing: the preload or host bridge did not load');
  return window.updater;
}
