/**
 * Builds the main-process core from its services. Electron, host mode and tests all call
 * this; it is the only place that knows how the services are wired together.
 */
import { mkdir } from 'node:fs/promises';
import type { AppInfo, LogLine } from '../../preload/contract';
import type { AppLogger } from '../util/logger';
import { createDiagnosticsService } from './diagnostics-service';
import { createEventHub } from './event-hub';
import { defaultDownloadDir, defaultInstallRoot, statePaths } from './paths';
import type { Core, JobService, SecurityService, ShellActions } from './services';
import { createSettingsStore, defaultSettings } from './settings-service';
import { connectionPatchFromSettings } from './net-settings';
import { SecureClient } from '../net/secure-client';
import { createSecurityService } from '../net/security-service';
import { SecureDownloader } from '../download/secure-downloader';
import { createJobManager, createSecureJobDownloader } from '../jobs';
import { wireUpdates } from './update-wiring';

/** Options for {@link createCore}. */
export interface CreateCoreOptions {
  mode: 'electron' | 'host';
  stateDir: string;
  version: string;
  electronVersion?: string | null;
  shell: ShellActions;
  /** Builds the logger once the state paths are known. */
  createLogger: (file: string, onLine: (line: LogLine) => void) => AppLogger;
  installRoot?: string;
  downloadDir?: string;
  /** The shipped production feed config (assets/feed/feed.json); null = none. */
  feedConfigFile?: string | null;
}

/** Create the core: settings, logger, events and every service. */
export async function createCore(opts: CreateCoreOptions): Promise<Core> {
  const paths = statePaths(opts.stateDir);
  await mkdir(paths.logs, { recursive: true, mode: 0o700 });
  const events = createEventHub();
  const logger = opts.createLogger(paths.logFile, (line) => events.emit('diagnostics:log', line));
  const settings = await createSettingsStore({
    file: paths.settings,
    defaults: defaultSettings({
      installRoot: opts.installRoot ?? defaultInstallRoot(),
      downloadDir: opts.downloadDir ?? defaultDownloadDir(),
    }),
    events,
  });

  // One secure client for everything (jobs, feed, inspector), so pins, TLS policy, proxy and
  // the global bandwidth budget apply uniformly. Settings changes reach it live.
  const client = new SecureClient({ options: connectionPatchFromSettings(settings.current()) });
  settings.onChange((next) => {
    try {
      client.updateOptions(connectionPatchFromSettings(next));
    } catch (err) {
      logger.error('could not apply network settings', err);
    }
  });
  client.on('retry', (r) =>
    logger.scope('net').info(`retry ${r.attempt} in ${r.delayMs} ms: ${r.reason} (${r.url})`),
  );
  client.on('failure', (f) => logger.scope('net').warn(`connection refused: ${JSON.stringify(f)}`));
  const security: SecurityService = createSecurityService({ client, pinsFile: paths.pins, events });

  const jobManager = await createJobManager({
    downloader: createSecureJobDownloader(new SecureDownloader(client)),
    stateDir: paths.jobs,
    events,
    settings: () => settings.get().jobs,
    onWarning: (message, err) => logger.scope('jobs').warn(message, err ?? ''),
  });
  const jobs: JobService = jobManager;

  const info: AppInfo = {
    name: 'LLMrecon Update Manager',
    version: opts.version,
    mode: opts.mode,
    electronVersion: opts.electronVersion ?? null,
    nodeVersion: process.versions.node,
    platform: process.platform,
    arch: process.arch,
    stateDir: opts.stateDir,
    logFile: paths.logFile,
    demoFeed: settings.get().feed.url === null,
  };
  const updates = wireUpdates({
    stateDir: opts.stateDir,
    updatesDir: paths.updates,
    feedConfigFile: opts.feedConfigFile ?? null,
    settings,
    client,
    jobs: jobManager,
    events,
    logger: logger.scope('updates'),
    onFeed: (feed) => {
      info.demoFeed = feed.demo !== null;
    },
  });

  const diagnostics = createDiagnosticsService({
    logger,
    dir: paths.diagnostics,
    info: () => info,
    settings,
    jobs: () => jobs,
    security: () => security,
  });
  logger.info(`core started in ${opts.mode} mode, state in ${opts.stateDir}`);

  return {
    info,
    events,
    jobs,
    updates,
    security,
    settings,
    diagnostics,
    shell: opts.shell,
    async close() {
      logger.info('core closing');
      await updates.close();
      await jobManager.close();
      await client.close();
    },
  };
}
