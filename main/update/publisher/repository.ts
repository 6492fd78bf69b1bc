/**
 * A TUF repository for LLMrecon feeds, built and signed with @tufjs/models.
 *
 * Layout (see docs/feed-format.md):
 *   <dir>/publisher.json        expiry periods and thresholds
 *   <dir>/keys/<role>.json      private keys of each role (never publish this folder)
 *   <dir>/site/metadata/        N.root.json, root.json, N.targets.json, N.snapshot.json, timestamp.json
 *   <dir>/site/targets/         <path-dir>/<sha256>.<file-name> (consistent snapshots)
 * Only `site/` is served; it is plain static files.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { basename, dirname, join, posix } from 'node:path';
import { Metadata, MetadataKind } from '@tufjs/models';
import { generateKey, publicKeyJson, signerFor, type StoredKey } from './keys';
import { targetCustomSchema, targetPathFor, type TargetCustom } from '../target-meta';

/** The four top-level TUF roles. */
export type RoleName = 'root' | 'targets' | 'snapshot' | 'timestamp';

/** All top-level roles, in signing order of dependence. */
export const ROLES: RoleName[] = ['root', 'targets', 'snapshot', 'timestamp'];

const SPEC_VERSION = '1.0.31';
const DAY = 86_400_000;

/** Default validity of each role's metadata, in days. */
export const DEFAULT_EXPIRY_DAYS: Record<RoleName, number> = {
  root: 365,
  targets: 90,
  snapshot: 30,
  timestamp: 7,
};

/** Options of {@link initRepository}. */
export interface InitOptions {
  /** Number of keys generated per role (default 1 each). */
  keys?: Partial<Record<RoleName, number>>;
  /** Signature threshold per role (default 1 each; at most the number of keys). */
  thresholds?: Partial<Record<RoleName, number>>;
  expiryDays?: Partial<Record<RoleName, number>>;
  /** Clock for tests. */
  now?: () => Date;
}

interface PublisherConfig {
  expiryDays: Record<RoleName, number>;
  thresholds: Record<RoleName, number>;
}

type Json = Record<string, unknown>;

interface MetaEntry {
  version: number;
  length: number;
  hashes: { sha256: string };
}

/** A target as listed in targets.json. */
export interface PublishedTarget {
  path: string;
  length: number;
  hashes: { sha256: string; sha512: string };
  custom: TargetCustom;
}

/** TUF's expiry format: ISO 8601 UTC without fractional seconds. */
export function tufDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

async function writeAtomic(file: string, data: string | Buffer, mode = 0o644): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, data, { mode });
  await rename(tmp, file);
}

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}

function metaEntry(version: number, bytes: Buffer): MetaEntry {
  return {
    version,
    length: bytes.length,
    hashes: { sha256: createHash('sha256').update(bytes).digest('hex') },
  };
}

async function hashFile(file: string): Promise<{ length: number; sha256: string; sha512: string }> {
  const h256 = createHash('sha256');
  const h512 = createHash('sha512');
  let length = 0;
  for await (const chunk of createReadStream(file)) {
    const buf = chunk as Buffer;
    length += buf.length;
    h256.update(buf);
    h512.update(buf);
  }
  return { length, sha256: h256.digest('hex'), sha512: h512.digest('hex') };
}

const KIND: Record<RoleName, MetadataKind> = {
  root: MetadataKind.Root,
  targets: MetadataKind.Targets,
  snapshot: MetadataKind.Snapshot,
  timestamp: MetadataKind.Timestamp,
};

/** Sign a `signed` body with the given keys, validating it through @tufjs/models on the way. */
export function signMetadata(role: RoleName, signed: Json, keys: StoredKey[]): Buffer {
  // fromJSON parses and type-checks the body exactly as a client will.
  const md = Metadata.fromJSON(
    KIND[role] as MetadataKind.Root,
    { signed, signatures: [] } as never,
  );
  for (const key of keys) md.sign(signerFor(key), true);
  return Buffer.from(JSON.stringify(md.toJSON(), null, 1));
}

/** An opened publisher repository. Every mutation re-signs and writes what changed. */
export class PublisherRepository {
  readonly dir: string;
  private config: PublisherConfig;
  private keys: Record<RoleName, StoredKey[]>;
  private root: Json;
  private targets: Json;
  private snapshot: Json;
  private timestamp: Json;
  private readonly now: () => Date;

  private constructor(
    dir: string,
    state: {
      config: PublisherConfig;
      keys: Record<RoleName, StoredKey[]>;
      root: Json;
      targets: Json;
      snapshot: Json;
      timestamp: Json;
    },
    now: () => Date,
  ) {
    this.dir = dir;
    this.config = state.config;
    this.keys = state.keys;
    this.root = state.root;
    this.targets = state.targets;
    this.snapshot = state.snapshot;
    this.timestamp = state.timestamp;
    this.now = now;
  }

  /** Folder to serve over HTTPS (contains metadata/ and targets/). */
  get siteDir(): string {
    return join(this.dir, 'site');
  }

  /** Folder of signed metadata (the client's metadata base URL). */
  get metadataDir(): string {
    return join(this.siteDir, 'metadata');
  }

  /** Folder of target files (the client's target base URL). */
  get targetsDir(): string {
    return join(this.siteDir, 'targets');
  }

  /** Path of version 1 of root.json: the trust anchor to ship with clients. */
  get initialRootPath(): string {
    return join(this.metadataDir, '1.root.json');
  }

  /** Current version of a role's metadata. */
  version(role: RoleName): number {
    return this.body(role).version as number;
  }

  /** Current expiry of a role's metadata (ISO). */
  expires(role: RoleName): string {
    return this.body(role).expires as string;
  }

  /** Targets currently listed. */
  listTargets(): PublishedTarget[] {
    const t = this.targets.targets as Record<string, Omit<PublishedTarget, 'path'>>;
    return Object.entries(t).map(([path, v]) => ({ path, ...v }));
  }

  /** Key ids currently trusted for a role. */
  keyIds(role: RoleName): string[] {
    return this.keys[role].map((k) => k.keyid);
  }

  /** Create a new repository in an empty (or missing) folder. */
  static async init(dir: string, options: InitOptions = {}): Promise<PublisherRepository> {
    const now = options.now ?? (() => new Date());
    try {
      await stat(join(dir, 'publisher.json'));
      throw new Error(`a repository already exists in ${dir}`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const config: PublisherConfig = {
      expiryDays: { ...DEFAULT_EXPIRY_DAYS, ...options.expiryDays },
      thresholds: { root: 1, targets: 1, snapshot: 1, timestamp: 1, ...options.thresholds },
    };
    const keys = {} as Record<RoleName, StoredKey[]>;
    for (const role of ROLES) {
      const n = Math.max(options.keys?.[role] ?? 1, config.thresholds[role]);
      if (config.thresholds[role] < 1) throw new Error(`threshold of ${role} must be at least 1`);
      keys[role] = Array.from({ length: n }, () => generateKey());
    }
    const repo = new PublisherRepository(
      dir,
      {
        config,
        keys,
        root: { _type: 'root', version: 0 },
        targets: { _type: 'targets', version: 0, targets: {} },
        snapshot: { _type: 'snapshot', version: 0, meta: {} },
        timestamp: { _type: 'timestamp', version: 0, meta: {} },
      },
      now,
    );
    repo.root = repo.rootBody(0);
    // Create the repository folder first: a recursive mkdir would give it the keys'
    // 0700 mode too, and a static web server could not read site/ below it.
    await mkdir(dir, { recursive: true });
    await mkdir(join(dir, 'keys'), { recursive: true, mode: 0o700 });
    await writeAtomic(join(dir, 'publisher.json'), JSON.stringify(config, null, 2) + '\n');
    await repo.saveKeys();
    await repo.commit(new Set(ROLES));
    return repo;
  }

  /** Open an existing repository. */
  static async open(dir: string, options: { now?: () => Date } = {}): Promise<PublisherRepository> {
    const config = await readJson<PublisherConfig>(join(dir, 'publisher.json'));
    const keys = {} as Record<RoleName, StoredKey[]>;
    for (const role of ROLES)
      keys[role] = await readJson<StoredKey[]>(join(dir, 'keys', `${role}.json`));
    const md = join(dir, 'site', 'metadata');
    const signedOf = async (file: string): Promise<Json> =>
      (await readJson<{ signed: Json }>(join(md, file))).signed;
    const timestamp = await signedOf('timestamp.json');
    const snapVersion = (timestamp.meta as Record<string, MetaEntry>)['snapshot.json'].version;
    const snapshot = await signedOf(`${snapVersion}.snapshot.json`);
    const targetsVersion = (snapshot.meta as Record<string, MetaEntry>)['targets.json'].version;
    const targets = await signedOf(`${targetsVersion}.targets.json`);
    const root = await signedOf('root.json');
    return new PublisherRepository(
      dir,
      { config, keys, root, targets, snapshot, timestamp },
      options.now ?? (() => new Date()),
    );
  }

  /**
   * Add (or replace) a target file with its LLMrecon metadata, then re-sign targets,
   * snapshot and timestamp. The file is stored under its sha256 (consistent snapshots).
   */
  async addTarget(
    file: string,
    custom: TargetCustom,
    options: { fileName?: string } = {},
  ): Promise<PublishedTarget> {
    const parsed = targetCustomSchema.parse(custom);
    const fileName = options.fileName ?? basename(file);
    if (!/^[A-Za-z0-9._-]+$/.test(fileName))
      throw new Error(`unsafe target file name: ${fileName}`);
    const path = targetPathFor(parsed, fileName);
    const { length, sha256, sha512 } = await hashFile(file);
    const dest = join(this.targetsDir, ...posix.dirname(path).split('/'), `${sha256}.${fileName}`);
    await mkdir(dirname(dest), { recursive: true });
    await copyFile(file, dest);
    const entry = { length, hashes: { sha256, sha512 }, custom: parsed };
    (this.targets.targets as Record<string, unknown>)[path] = entry;
    await this.commit(new Set<RoleName>(['targets', 'snapshot', 'timestamp']));
    return { path, ...entry };
  }

  /** Remove a target from targets.json (its file stays for clients mid-update). */
  async removeTarget(path: string): Promise<void> {
    const map = this.targets.targets as Record<string, unknown>;
    if (!(path in map)) throw new Error(`no such target: ${path}`);
    delete map[path];
    await this.commit(new Set<RoleName>(['targets', 'snapshot', 'timestamp']));
  }

  /** Re-sign snapshot and timestamp with new versions (the routine "sign" a publisher runs). */
  async signSnapshotAndTimestamp(): Promise<void> {
    await this.commit(new Set<RoleName>(['snapshot', 'timestamp']));
  }

  /** Re-sign only the timestamp (keeps a feed fresh between releases). */
  async signTimestamp(): Promise<void> {
    await this.commit(new Set<RoleName>(['timestamp']));
  }

  /**
   * Replace every key of a role with freshly generated ones (optionally changing the
   * threshold). Root changes, so N+1.root.json is written, signed by a threshold of the
   * old root keys AND of the new ones (TUF 5.3.4/5.3.5) so clients can chain to it.
   */
  async rotateKey(
    role: RoleName,
    options: { keys?: number; threshold?: number } = {},
  ): Promise<string[]> {
    const threshold = options.threshold ?? this.config.thresholds[role];
    const n = Math.max(options.keys ?? this.keys[role].length, threshold);
    const oldRootKeys = this.keys.root;
    const retired = this.keys[role];
    this.keys[role] = Array.from({ length: n }, () => generateKey());
    this.config.thresholds[role] = threshold;
    await writeAtomic(
      join(this.dir, 'keys', 'retired', `${role}-${Date.now()}.json`),
      JSON.stringify(retired, null, 2),
      0o600,
    );
    await this.saveKeys();
    await writeAtomic(
      join(this.dir, 'publisher.json'),
      JSON.stringify(this.config, null, 2) + '\n',
    );
    const dirty = new Set<RoleName>(['root', 'snapshot', 'timestamp']);
    if (role === 'targets') dirty.add('targets');
    await this.commit(dirty, role === 'root' ? oldRootKeys : undefined);
    return this.keyIds(role);
  }

  /** Set a role's expiry (past dates make a deliberately expired feed, for drills and tests). */
  async setExpiry(role: RoleName, expires: Date): Promise<void> {
    await this.commit(this.cascade(role), undefined, { [role]: expires });
  }

  /** Mark a role's metadata as already expired. */
  async expire(role: RoleName): Promise<void> {
    await this.setExpiry(role, new Date(this.now().getTime() - 60_000));
  }

  /** Renew roles' expiry to now + their configured period (default: all but root). */
  async refresh(roles: RoleName[] = ['targets', 'snapshot', 'timestamp']): Promise<void> {
    const dirty = new Set<RoleName>();
    for (const r of roles) for (const d of this.cascade(r)) dirty.add(d);
    await this.commit(dirty);
  }

  private cascade(role: RoleName): Set<RoleName> {
    const order = ROLES.indexOf(role);
    return new Set(role === 'root' ? ['root'] : ROLES.slice(order));
  }

  private body(role: RoleName): Json {
    return {
      root: this.root,
      targets: this.targets,
      snapshot: this.snapshot,
      timestamp: this.timestamp,
    }[role];
  }

  private expiryFor(role: RoleName, override?: Date): string {
    return tufDate(override ?? new Date(this.now().getTime() + this.config.expiryDays[role] * DAY));
  }

  private rootBody(version: number, expires?: string): Json {
    const keys: Record<string, unknown> = {};
    const roles: Record<string, unknown> = {};
    for (const role of ROLES) {
      for (const k of this.keys[role]) keys[k.keyid] = publicKeyJson(k);
      roles[role] = {
        keyids: this.keys[role].map((k) => k.keyid),
        threshold: this.config.thresholds[role],
      };
    }
    return {
      _type: 'root',
      spec_version: SPEC_VERSION,
      version,
      expires: expires ?? this.expiryFor('root'),
      consistent_snapshot: true,
      keys,
      roles,
    };
  }

  private async saveKeys(): Promise<void> {
    for (const role of ROLES) {
      await writeAtomic(
        join(this.dir, 'keys', `${role}.json`),
        JSON.stringify(this.keys[role], null, 2) + '\n',
        0o600,
      );
    }
  }

  /**
   * Bump, sign and write the dirty roles in dependency order: targets feed snapshot's
   * meta, snapshot feeds timestamp's meta. Lengths and hashes are always recorded, so a
   * client detects mix-and-match and endless-data attacks on metadata, not only targets.
   */
  private async commit(
    dirty: Set<RoleName>,
    previousRootKeys?: StoredKey[],
    expiresOverride: Partial<Record<RoleName, Date>> = {},
  ): Promise<void> {
    const md = this.metadataDir;
    if (dirty.has('root')) {
      const version = (this.root.version as number) + 1;
      this.root = this.rootBody(version, this.expiryFor('root', expiresOverride.root));
      const signers = [...this.keys.root];
      for (const k of previousRootKeys ?? [])
        if (!signers.some((s) => s.keyid === k.keyid)) signers.push(k);
      const bytes = signMetadata('root', this.root, signers);
      await writeAtomic(join(md, `${version}.root.json`), bytes);
      await writeAtomic(join(md, 'root.json'), bytes);
    }
    if (dirty.has('targets')) {
      const version = (this.targets.version as number) + 1;
      this.targets = {
        _type: 'targets',
        spec_version: SPEC_VERSION,
        version,
        expires: this.expiryFor('targets', expiresOverride.targets),
        targets: this.targets.targets,
      };
      const bytes = signMetadata('targets', this.targets, this.keys.targets);
      await writeAtomic(join(md, `${version}.targets.json`), bytes);
      this.pendingTargetsMeta = metaEntry(version, bytes);
    }
    if (dirty.has('snapshot')) {
      const version = (this.snapshot.version as number) + 1;
      const targetsMeta = this.pendingTargetsMeta ?? (await this.currentMeta('targets'));
      this.snapshot = {
        _type: 'snapshot',
        spec_version: SPEC_VERSION,
        version,
        expires: this.expiryFor('snapshot', expiresOverride.snapshot),
        meta: { 'targets.json': targetsMeta },
      };
      const bytes = signMetadata('snapshot', this.snapshot, this.keys.snapshot);
      await writeAtomic(join(md, `${version}.snapshot.json`), bytes);
      this.pendingSnapshotMeta = metaEntry(version, bytes);
    }
    if (dirty.has('timestamp')) {
      const version = (this.timestamp.version as number) + 1;
      const snapshotMeta = this.pendingSnapshotMeta ?? (await this.currentMeta('snapshot'));
      this.timestamp = {
        _type: 'timestamp',
        spec_version: SPEC_VERSION,
        version,
        expires: this.expiryFor('timestamp', expiresOverride.timestamp),
        meta: { 'snapshot.json': snapshotMeta },
      };
      const bytes = signMetadata('timestamp', this.timestamp, this.keys.timestamp);
      await writeAtomic(join(md, `${version}.timestamp.json`), bytes);
      await writeAtomic(join(md, 'timestamp.json'), bytes);
    }
    this.pendingTargetsMeta = undefined;
    this.pendingSnapshotMeta = undefined;
  }

  private pendingTargetsMeta: MetaEntry | undefined;
  private pendingSnapshotMeta: MetaEntry | undefined;

  private async currentMeta(role: 'targets' | 'snapshot'): Promise<MetaEntry> {
    const version = this.body(role).version as number;
    return metaEntry(version, await readFile(join(this.metadataDir, `${version}.${role}.json`)));
  }
}
