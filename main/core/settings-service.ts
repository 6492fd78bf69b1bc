/**
 * Persistent settings: one JSON file in the state dir, written atomically with mode 0600
 * (it may hold the proxy password). The renderer only ever sees a SettingsView, in which
 * the password is reduced to `hasPassword`.
 */
import { readFile, rename } from 'node:fs/promises';
import { invokeSchemas, type SettingsPatch, type SettingsView } from '../../preload/contract';
import { AppError, InvalidArgumentError } from '../errors';
import { writeFileAtomic } from '../util/atomic-write';
import type { EventHub, SettingsService } from './services';

/** Settings as stored: the view plus the write-only proxy password. */
export interface StoredSettings extends SettingsView {
  secrets: { proxyPassword: string | null };
}

/** Defaults for a fresh install. */
export function defaultSettings(paths: {
  installRoot: string;
  downloadDir: string;
}): StoredSettings {
  return {
    feed: { url: null, rootPath: null, channel: 'stable', checkIntervalHours: 24 },
    jobs: {
      maxActive: 3,
      connectionsPerJob: 4,
      perHostConnections: 8,
      autoResume: false,
      downloadDir: paths.downloadDir,
    },
    network: {
      bandwidthLimitBytesPerSec: null,
      proxy: { url: null, username: null, hasPassword: false },
      retry: { maxAttempts: 5, initialDelayMs: 500, maxDelayMs: 30_000 },
      timeouts: { connectMs: 15_000, tlsMs: 15_000, headersMs: 30_000, idleMs: 30_000, totalMs: 0 },
      revocation: 'soft',
      extraCaFiles: [],
    },
    install: {
      root: paths.installRoot,
      coreBinaryPath: `${paths.installRoot}/bin/${process.platform === 'win32' ? 'llmrecon.exe' : 'llmrecon'}`,
      backupsToKeep: 3,
    },
    appearance: { theme: 'system' },
    secrets: { proxyPassword: null },
  };
}

/** Strip secrets: what crosses the bridge. */
export function toSettingsView(s: StoredSettings): SettingsView {
  const { secrets, ...rest } = s;
  return {
    ...rest,
    network: {
      ...rest.network,
      proxy: { ...rest.network.proxy, hasPassword: Boolean(secrets.proxyPassword) },
    },
  };
}

/** Apply a validated patch to stored settings, returning a new object. */
export function applySettingsPatch(current: StoredSettings, patch: SettingsPatch): StoredSettings {
  const next: StoredSettings = structuredClone(current);
  if (patch.feed) Object.assign(next.feed, patch.feed);
  if (patch.jobs) Object.assign(next.jobs, patch.jobs);
  if (patch.install) Object.assign(next.install, patch.install);
  if (patch.appearance) Object.assign(next.appearance, patch.appearance);
  if (patch.network) {
    const { proxy, retry, timeouts, ...flat } = patch.network;
    Object.assign(next.network, flat);
    if (retry) Object.assign(next.network.retry, retry);
    if (timeouts) Object.assign(next.network.timeouts, timeouts);
    if (proxy) {
      const { password, ...visible } = proxy;
      Object.assign(next.network.proxy, visible);
      if (password !== undefined) next.secrets.proxyPassword = password || null;
      if (proxy.url === null) next.secrets.proxyPassword = null;
    }
  }
  if (next.network.retry.initialDelayMs > next.network.retry.maxDelayMs) {
    throw new InvalidArgumentError('network.retry.initialDelayMs must not exceed maxDelayMs');
  }
  next.network.proxy.hasPassword = Boolean(next.secrets.proxyPassword);
  return next;
}

/** Merge a loaded file over defaults, keeping only known, valid fields. */
function sanitizeLoaded(defaults: StoredSettings, raw: unknown): StoredSettings {
  if (!raw || typeof raw !== 'object') throw new Error('settings file is not an object');
  const r = raw as Partial<StoredSettings>;
  const patch: SettingsPatch = {
    feed: r.feed,
    jobs: r.jobs,
    install: r.install,
    appearance: r.appearance,
    network: r.network
      ? {
          ...r.network,
          proxy: r.network.proxy
            ? {
                url: r.network.proxy.url,
                username: r.network.proxy.username,
                password: r.secrets?.proxyPassword ?? null,
              }
            : undefined,
        }
      : undefined,
  };
  // Drop undefined keys and the derived hasPassword before validating with the contract schema.
  const cleaned = JSON.parse(
    JSON.stringify(patch, (k, v) => (k === 'hasPassword' ? undefined : v)),
  );
  const parsed = invokeSchemas['settings:update'].safeParse(cleaned);
  if (!parsed.success)
    throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return applySettingsPatch(defaults, parsed.data);
}

/** A settings service with change subscription for live application. */
export interface SettingsStore extends SettingsService {
  /** The full stored settings, including secrets (main-process use only). */
  current(): StoredSettings;
  onChange(listener: (next: StoredSettings, prev: StoredSettings) => void): () => void;
}

/** Load (or create) the settings file. A corrupt file is moved aside, defaults are used, and a notice is emitted. */
export async function createSettingsStore(opts: {
  file: string;
  defaults: StoredSettings;
  events: EventHub;
}): Promise<SettingsStore> {
  let current = opts.defaults;
  try {
    current = sanitizeLoaded(opts.defaults, JSON.parse(await readFile(opts.file, 'utf8')));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      const aside = `${opts.file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await rename(opts.file, aside).catch(() => {});
      opts.events.emit('app:notice', {
        level: 'warning',
        code: 'ERR_SETTINGS_INVALID',
        message: `Settings were unreadable (${(err as Error).message}); defaults are in use. The old file was kept as ${aside}.`,
        at: Date.now(),
      });
    }
  }
  const listeners = new Set<(next: StoredSettings, prev: StoredSettings) => void>();
  let chain: Promise<unknown> = Promise.resolve();
  return {
    current: () => current,
    get: () => toSettingsView(current),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    update(patch) {
      // Serialise writers so two quick patches never race on the file.
      const run = chain.then(async () => {
        const parsed = invokeSchemas['settings:update'].safeParse(patch);
        if (!parsed.success)
          throw new InvalidArgumentError(
            parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
          );
        const prev = current;
        const next = applySettingsPatch(current, parsed.data);
        try {
          await writeFileAtomic(opts.file, JSON.stringify(next, null, 2) + '\n', { mode: 0o600 });
        } catch (err) {
          throw new AppError('ERR_DISK', `Could not save settings: ${(err as Error).message}`, {
            cause: err,
          });
        }
        current = next;
        for (const l of listeners) l(next, prev);
        const view = toSettingsView(next);
        opts.events.emit('settings:changed', view);
        return view;
      });
      chain = run.catch(() => {});
      return run;
    },
  };
}
