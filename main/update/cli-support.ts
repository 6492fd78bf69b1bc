/**
 * Shared plumbing of the `check`, `install` and `rollback` CLI commands: flags, the feed,
 * the secure client and an update service wired to the downloader directly.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultInstallRoot, defaultStateDir, statePaths } from '../core/paths';
import { createEventHub } from '../core/event-hub';
import { createSettingsStore, defaultSettings } from '../core/settings-service';
import { InvalidArgumentError, toErrorPayload } from '../errors';
import { SecureClient } from '../net/secure-client';
import { parseNetFlags } from '../cli/net-flags';
import { directDownload } from './download-adapters';
import { resolveFeed } from './feed-config';
import { parseComponentKey, type Channel } from './target-meta';
import { createUpdateService, type UpdateServiceHandle } from './update-service';

/** Flags every update command accepts. */
export const UPDATE_FLAGS_HELP = `  --feed URL                feed base URL (needs --root); default: the configured feed, else the demo feed
  --root FILE               trusted root.json of --feed
  --channel stable|beta     release channel (default stable)
  --state DIR               state directory (default $LLMRECON_UM_STATE_DIR or the per-user one)
  --install-root DIR        LLMrecon folder (default ~/.LLMrecon)
  --core PATH               core binary (default <install-root>/bin/llmrecon)
  --json                    machine-readable output`;

/** Parsed update-command flags. */
export interface UpdateCliArgs {
  positional: string[];
  json: boolean;
  flags: Record<string, string | true>;
}

const VALUE_FLAGS = new Set([
  '--feed',
  '--root',
  '--channel',
  '--state',
  '--install-root',
  '--core',
  '--version',
]);
const BOOL_FLAGS = new Set(['--json', '--allow-downgrade', '--help', '-h']);

/** The streams an update command writes to. */
export interface UpdateCliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/**
 * Parse a command's argv, or answer it: prints usage for --help (exit 0) or the coded error
 * plus usage for bad flags (exit 2). Returns the parsed args when the command should run.
 */
export function parseUpdateArgsOrExit(
  argv: string[],
  usage: string,
  io: UpdateCliIo,
): ReturnType<typeof parseUpdateArgs> | number {
  let args;
  try {
    args = parseUpdateArgs(argv);
  } catch (err) {
    const e = toErrorPayload(err);
    io.stderr.write(`error ${e.code}: ${e.message}\n${usage}\n`);
    return 2;
  }
  if (args.flags['--help'] || args.flags['-h']) {
    io.stdout.write(usage + '\n');
    return 0;
  }
  return args;
}

/**
 * The one component a command names (`core`, `templates`, `module:<id>`, or `all` where
 * allowed), or the usage exit code 2 after saying what is wrong.
 */
export function takeComponentArg(
  args: UpdateCliArgs,
  usage: string,
  io: UpdateCliIo,
  allowAll: boolean,
): string | number {
  const [component, ...extra] = args.positional;
  let valid = !!component && extra.length === 0;
  if (valid && !(allowAll && component === 'all')) {
    try {
      parseComponentKey(component!);
    } catch {
      valid = false;
    }
  }
  if (valid) return component!;
  io.stderr.write(
    `error ERR_INVALID_ARGUMENT: name one component (core, templates, module:<id>)${allowAll ? ' or all' : ''}\n${usage}\n`,
  );
  return 2;
}

/** Split argv into flags and positionals; throws ERR_INVALID_ARGUMENT on unknown flags. */
export function parseUpdateArgs(
  argv: string[],
): UpdateCliArgs & { net: ReturnType<typeof parseNetFlags> } {
  const net = parseNetFlags(argv);
  const out: UpdateCliArgs = { positional: [], json: false, flags: {} };
  for (let i = 0; i < net.rest.length; i++) {
    const arg = net.rest[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (VALUE_FLAGS.has(name)) {
      const v = eq > 0 ? arg.slice(eq + 1) : net.rest[++i];
      if (v === undefined) throw new InvalidArgumentError(`${name} needs a value`);
      out.flags[name] = v;
    } else if (BOOL_FLAGS.has(name)) out.flags[name] = true;
    else if (arg.startsWith('-')) throw new InvalidArgumentError(`unknown option ${arg}`);
    else out.positional.push(arg);
  }
  out.json = out.flags['--json'] === true;
  return { ...out, net };
}

/** An update service for one CLI run, and how to shut it down. */
export interface CliUpdateContext {
  service: UpdateServiceHandle;
  close(): Promise<void>;
}

/** Build the service for a CLI run (starting the demo feed when no feed is configured). */
export async function openCliUpdateService(
  args: ReturnType<typeof parseUpdateArgs>,
  options: { check?: boolean } = {},
): Promise<CliUpdateContext> {
  const f = args.flags;
  const stateDir = (f['--state'] as string | undefined) ?? defaultStateDir();
  // The app's own settings (same state dir) are the defaults, so the CLI and the app agree on
  // the feed, the channel and where LLMrecon is installed; flags override them.
  const saved = await createSettingsStore({
    file: statePaths(stateDir).settings,
    defaults: defaultSettings({ installRoot: defaultInstallRoot(), downloadDir: process.cwd() }),
    events: createEventHub(),
  });
  const settings = saved.current();
  const channel = (f['--channel'] as string | undefined) ?? settings.feed.channel;
  if (channel !== 'stable' && channel !== 'beta')
    throw new InvalidArgumentError('--channel must be stable or beta');
  const installRoot = (f['--install-root'] as string | undefined) ?? settings.install.root;
  const coreBinaryPath =
    (f['--core'] as string | undefined) ??
    (f['--install-root']
      ? join(installRoot, 'bin', process.platform === 'win32' ? 'llmrecon.exe' : 'llmrecon')
      : settings.install.coreBinaryPath);
  const feedUrl = (f['--feed'] as string | undefined) ?? settings.feed.url;
  const rootPath =
    (f['--root'] as string | undefined) ?? (f['--feed'] ? undefined : settings.feed.rootPath);
  if (rootPath && !existsSync(rootPath))
    throw new InvalidArgumentError(`--root ${rootPath} does not exist`);
  // dist/main/cli.cjs (and main/update in tests) → <app>/assets/feed/feed.json.
  const configFile =
    process.env.LLMRECON_FEED_CONFIG ?? join(__dirname, '..', '..', 'assets', 'feed', 'feed.json');
  const feed = await resolveFeed({
    stateDir,
    feedUrl: feedUrl ?? null,
    rootPath: rootPath ?? null,
    pins: args.net.pins,
    configFile,
  });
  const base = args.net.options;
  const client = new SecureClient({
    options: { ...base, ca: [...(base.ca ?? []), ...feed.ca] },
    defaultHighWaterMark: 1024 * 1024,
  });
  const service = createUpdateService({
    stateDir: join(stateDir, 'updates'),
    feed: feed.source,
    http: client,
    download: directDownload(client),
    installRoot,
    coreBinaryPath,
    channel: channel as Channel,
    backupsToKeep: settings.install.backupsToKeep,
    checkIntervalMs: 0,
  });
  await service.start({ check: options.check ?? false });
  return {
    service,
    async close() {
      await service.close();
      await client.close();
      await feed.demo?.close();
    },
  };
}
