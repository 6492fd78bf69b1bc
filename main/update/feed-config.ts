/**
 * Which feed to use: a feed from settings (URL + root.json), else the shipped production
 * feed config (assets/feed/feed.json), else — when that is still the placeholder — the
 * built-in offline demo feed.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { InvalidArgumentError } from '../errors';
import { startDemoFeed, type DemoFeed } from './demo-feed';
import type { FeedSource } from './feed-client';

/** The shipped feed config file (assets/feed/feed.json). */
export interface FeedConfigFile {
  url: string;
  /** root.json path, relative to the config file. */
  root: string;
  pins?: string[];
  label?: string;
  /** True while the file is the placeholder: the app then falls back to the demo feed. */
  placeholder?: boolean;
}

/** Read a feed config file; null when it is missing or the placeholder. */
export async function loadFeedConfig(file: string): Promise<FeedSource | null> {
  let config: FeedConfigFile;
  try {
    config = JSON.parse(await readFile(file, 'utf8')) as FeedConfigFile;
  } catch {
    return null;
  }
  if (config.placeholder) return null;
  if (
    typeof config.url !== 'string' ||
    !config.url.startsWith('https://') ||
    typeof config.root !== 'string'
  ) {
    throw new InvalidArgumentError(`feed config ${file} needs an https url and a root path`);
  }
  return {
    url: config.url,
    rootJson: isAbsolute(config.root) ? config.root : join(dirname(file), config.root),
    pins: config.pins ?? [],
    label: config.label ?? new URL(config.url).host,
    demo: false,
  };
}

/** The feed to use and, for the demo feed, the running server and the CA to trust. */
export interface ResolvedFeed {
  source: FeedSource;
  /** Extra CA certificates (PEM) the secure client must trust for this feed. */
  ca: string[];
  demo: DemoFeed | null;
}

/** Resolve the feed (see module doc). `stateDir` is the app's state dir (the demo lives in it). */
export async function resolveFeed(options: {
  stateDir: string;
  feedUrl?: string | null;
  rootPath?: string | null;
  pins?: string[];
  configFile?: string | null;
}): Promise<ResolvedFeed> {
  if (options.feedUrl) {
    if (!options.rootPath)
      throw new InvalidArgumentError('a custom feed needs its trusted root.json (--root)');
    return {
      source: {
        url: options.feedUrl,
        rootJson: options.rootPath,
        pins: options.pins ?? [],
        demo: false,
      },
      ca: [],
      demo: null,
    };
  }
  const configured = options.configFile ? await loadFeedConfig(options.configFile) : null;
  if (configured) return { source: configured, ca: [], demo: null };
  const demo = await startDemoFeed(options.stateDir);
  return {
    source: {
      url: demo.url,
      rootJson: demo.rootJson,
      pins: demo.pins,
      label: demo.label,
      demo: true,
    },
    ca: [demo.ca],
    demo,
  };
}
