/**
 * Runs the update service for the feed the settings name (or the shipped feed config, or the
 * offline demo feed) and swaps it for a fresh one when the feed or install settings change,
 * so `core.updates` is one stable object whatever feed is behind it.
 */
import type { InstallResult, UpdateStatus } from '../../preload/contract';
import type { SecureClient } from '../net/secure-client';
import { resolveFeed, type ResolvedFeed } from '../update/feed-config';
import { createUpdateService, type UpdateServiceHandle } from '../update/update-service';
import { jobDownload, type ComponentJobService } from '../update/download-adapters';
import type { Logger } from '../util/logger';
import type { EventHub, UpdateService } from './services';
import type { SettingsStore, StoredSettings } from './settings-service';

/** What the wiring needs. */
export interface UpdateWiringOptions {
  stateDir: string;
  updatesDir: string;
  feedConfigFile: string | null;
  settings: SettingsStore;
  client: SecureClient;
  jobs: ComponentJobService;
  events: EventHub;
  logger: Logger;
  /** Told whether the demo feed is in use, after every (re)start. */
  onFeed: (feed: ResolvedFeed) => void;
}

/** The stable update service plus its life-cycle. */
export interface UpdateWiring extends UpdateService {
  ready: Promise<void>;
  close(): Promise<void>;
}

const feedKey = (s: StoredSettings) =>
  JSON.stringify([
    s.feed.url,
    s.feed.rootPath,
    s.install.root,
    s.install.coreBinaryPath,
    s.install.backupsToKeep,
  ]);

/** Start the update service and keep it in step with the settings. */
export function wireUpdates(opts: UpdateWiringOptions): UpdateWiring {
  let current: { service: UpdateServiceHandle; feed: ResolvedFeed } | null = null;
  let chain: Promise<void> = Promise.resolve();

  const start = async () => {
    const s = opts.settings.current();
    const feed = await resolveFeed({
      stateDir: opts.stateDir,
      feedUrl: s.feed.url,
      rootPath: s.feed.rootPath,
      configFile: opts.feedConfigFile,
    });
    // The demo CA is name-constrained to loopback (see update/demo-pki.ts), so trusting it
    // cannot let it vouch for any other host.
    opts.client.updateOptions({ ca: feed.ca });
    const service = createUpdateService({
      stateDir: opts.updatesDir,
      feed: feed.source,
      http: opts.client,
      download: jobDownload(opts.jobs, opts.events),
      installRoot: s.install.root,
      coreBinaryPath: s.install.coreBinaryPath,
      backupsToKeep: s.install.backupsToKeep,
      channel: () => opts.settings.current().feed.channel,
      checkIntervalMs: () => opts.settings.current().feed.checkIntervalHours * 3_600_000,
      events: opts.events,
    });
    current = { service, feed };
    opts.onFeed(feed);
    opts.logger.info(
      `update feed: ${feed.source.label ?? feed.source.url}${feed.demo ? ' (demo)' : ''}`,
    );
    const repaired = await service.start({ check: true });
    for (const r of repaired)
      opts.logger.warn(`repaired an interrupted install: ${JSON.stringify(r)}`);
  };

  const stop = async () => {
    const c = current;
    current = null;
    if (!c) return;
    await c.service.close();
    await c.feed.demo?.close();
  };

  const ready = (chain = chain.then(start).catch((err) => {
    opts.logger.error('update service failed to start', err);
  }));

  let lastKey = feedKey(opts.settings.current());
  opts.settings.onChange((next) => {
    const key = feedKey(next);
    if (key === lastKey) return;
    lastKey = key;
    chain = chain
      .then(stop)
      .then(start)
      .catch((err) => opts.logger.error('update service failed to restart', err));
  });

  const service = async () => {
    await chain;
    if (!current) throw new Error('the update service is not running; see the log');
    return current.service;
  };

  const idleStatus = (): UpdateStatus => ({
    feed: {
      url: opts.settings.current().feed.url ?? '',
      label: 'Starting…',
      demo: opts.settings.current().feed.url === null,
      state: 'unknown',
      validUntil: null,
      lastCheckedAt: null,
      error: null,
    },
    components: [],
  });

  return {
    ready,
    status: () => current?.service.status() ?? idleStatus(),
    check: async () => (await service()).check(),
    install: async (component, options): Promise<InstallResult> =>
      (await service()).install(component, options),
    installAll: async () => (await service()).installAll(),
    rollback: async (component) => (await service()).rollback(component),
    async close() {
      await chain;
      await stop();
    },
  };
}
