/**
 * The verified view of an LLMrecon feed: refresh the TUF metadata with tuf-js over the
 * secure client, list LLMrecon targets, and resolve a target's download URL.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Metadata, MetadataKind, type TargetFile } from '@tufjs/models';
import { Updater } from 'tuf-js';
import { classifyFeedError } from './feed-errors';
import { FeedError, TargetNotFoundError } from './errors';
import { parseFeedTarget, type FeedTarget } from './target-meta';
import { createTufFetcher, type FeedHttpClient } from './tuf-fetcher';

/** Where a feed lives and what it is trusted with. */
export interface FeedSource {
  /** Base URL; metadata under `<url>/metadata/`, targets under `<url>/targets/`. */
  url: string;
  /** Path of the trusted root.json shipped with the app (or made by the demo feed). */
  rootJson: string;
  /** Extra SPKI pins for the feed host. */
  pins?: string[];
  label?: string;
  demo?: boolean;
}

/** The result of a successful refresh. */
export interface FeedView {
  targets: FeedTarget[];
  /** The earliest expiry among timestamp, snapshot and targets. */
  validUntil: string;
  versions: { root: number; timestamp: number; snapshot: number; targets: number };
}

/** A refreshed feed session: its view and the means to resolve targets. */
export interface FeedSession {
  view: FeedView;
  /** Re-fetch a target's verified info through tuf-js (fails if the feed no longer lists it). */
  targetInfo(path: string): Promise<TargetFile>;
  /** The consistent-snapshot URL of a target file. */
  targetUrl(target: FeedTarget): string;
}

/** The per-feed metadata cache: feeds with different URLs or roots never share state. */
export async function feedCacheDir(stateDir: string, source: FeedSource): Promise<string> {
  const rootBytes = await readFile(source.rootJson);
  const id = createHash('sha256')
    .update(source.url)
    .update('\0')
    .update(rootBytes)
    .digest('hex')
    .slice(0, 16);
  return join(stateDir, 'feeds', id);
}

function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, '');
}

async function rootVersion(file: string): Promise<number> {
  try {
    const md = JSON.parse(await readFile(file, 'utf8')) as { signed?: { version?: unknown } };
    return typeof md.signed?.version === 'number' ? md.signed.version : 0;
  } catch {
    return 0;
  }
}

/**
 * Refresh the feed per the TUF client workflow (root chain, timestamp, snapshot,
 * targets; versions, expiry, thresholds and hashes all checked by tuf-js) and return the
 * LLMrecon targets it lists. Throws coded FeedErrors.
 */
export async function openFeed(options: {
  source: FeedSource;
  stateDir: string;
  http: FeedHttpClient;
  signal?: AbortSignal;
}): Promise<FeedSession> {
  const { source } = options;
  if (!/^https:\/\//i.test(source.url))
    throw new FeedError('ERR_FEED_INVALID', `feed URL must be https: ${source.url}`);
  const cache = await feedCacheDir(options.stateDir, source);
  const metadataDir = join(cache, 'metadata');
  await mkdir(metadataDir, { recursive: true });
  // Seed (or upgrade) the trusted root from the shipped one; never replace a newer root
  // the client already chained to, or a rotated-away key could be trusted again.
  if ((await rootVersion(join(metadataDir, 'root.json'))) < (await rootVersion(source.rootJson))) {
    await copyFile(source.rootJson, join(metadataDir, 'root.json'));
  }
  const fetcher = createTufFetcher(options.http, { pins: source.pins, signal: options.signal });
  const metadataBaseUrl = joinUrl(source.url, 'metadata/');
  const targetBaseUrl = joinUrl(source.url, 'targets/');
  let updater: Updater;
  try {
    updater = new Updater({
      metadataDir,
      metadataBaseUrl,
      targetBaseUrl,
      targetDir: cache,
      fetcher,
    });
    await updater.refresh();
  } catch (err) {
    const coded = classifyFeedError(err, fetcher.lastTransportError, fetcher.fetched);
    if (coded.code === 'ERR_FEED_EXPIRED' && coded.details?.expires == null) {
      // The expired copy may have come from the local cache rather than the network.
      const role = String(coded.details?.role ?? 'timestamp');
      const local = await readFile(join(metadataDir, `${role}.json`)).catch(() => null);
      if (local) {
        const fromCache = classifyFeedError(err, null, new Map([[`${role}.json`, local]]));
        if (fromCache.details?.expires) throw fromCache;
      }
    }
    throw coded;
  }

  const read = async <K extends MetadataKind>(kind: K) =>
    Metadata.fromJSON(
      kind as MetadataKind.Targets,
      JSON.parse(await readFile(join(metadataDir, `${kind}.json`), 'utf8')),
    );
  // These files were verified and persisted by refresh() just now.
  const targetsMd = await read(MetadataKind.Targets);
  const snapshotMd = await read(MetadataKind.Snapshot);
  const timestampMd = await read(MetadataKind.Timestamp);
  const rootMd = await read(MetadataKind.Root);
  const targets: FeedTarget[] = [];
  for (const [path, t] of Object.entries(targetsMd.signed.targets)) {
    const parsed = parseFeedTarget(path, t.length, t.hashes, t.custom);
    if (parsed) targets.push(parsed);
  }
  const expiries = [
    timestampMd.signed.expires,
    snapshotMd.signed.expires,
    targetsMd.signed.expires,
  ].sort((a, b) => Date.parse(a) - Date.parse(b));
  const view: FeedView = {
    targets,
    validUntil: expiries[0],
    versions: {
      root: rootMd.signed.version,
      timestamp: timestampMd.signed.version,
      snapshot: snapshotMd.signed.version,
      targets: targetsMd.signed.version,
    },
  };
  return {
    view,
    async targetInfo(path: string): Promise<TargetFile> {
      let info: TargetFile | undefined;
      try {
        info = await updater.getTargetInfo(path);
      } catch (err) {
        throw classifyFeedError(err, fetcher.lastTransportError, fetcher.fetched);
      }
      if (!info) throw new TargetNotFoundError(`the feed does not list ${path}`);
      return info;
    },
    targetUrl(target: FeedTarget): string {
      // Consistent snapshots: <dir>/<first hash>.<name>, the same rule tuf-js applies.
      const first = Object.values(target.hashes)[0];
      const slash = target.path.lastIndexOf('/');
      const dir = slash >= 0 ? target.path.slice(0, slash + 1) : '';
      const name = target.path.slice(slash + 1);
      return joinUrl(
        targetBaseUrl,
        `${dir}${first}.${name}`.split('/').map(encodeURIComponent).join('/'),
      );
    },
  };
}
