/**
 * TUF metadata fuzzing (issue 10): semantic and byte-level mutations of the signed
 * metadata (root, timestamp, snapshot, targets) served by a real TLS feed to the real feed
 * client. Without the keys an attacker cannot make a mutation verify, so every one must be
 * rejected with an ERR_FEED_* code (never a crash, never "unreachable") and nothing may be
 * installed.
 */
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Metadata, MetadataKind } from '@tufjs/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecureClient } from '../net/secure-client';
import { createTestPki, type TestPki } from '../test-support/pki';
import { directDownload } from '../update/download-adapters';
import { createTestFeed, type TestFeed } from '../update/test-feed';
import { serveBytes } from '../update/test-feed-server';
import { createUpdateService } from '../update/update-service';
import { fuzzIterations, int, pick, suiteRng } from './fuzz-config';

let pki: TestPki;
let feed: TestFeed;
let client: SecureClient;
let work: string;

beforeAll(async () => {
  pki = createTestPki();
  feed = await createTestFeed(pki);
  client = new SecureClient({
    options: {
      ca: [pki.root.cert],
      useSystemRoots: false,
      proxyFromEnv: false,
      retry: { maxAttempts: 1 },
      timeouts: { idle: 3000 },
    },
  });
  work = await mkdtemp(join(tmpdir(), 'llmrecon-tuffuzz-'));
});
afterAll(async () => {
  await client?.close();
  await feed?.close();
  if (feed) await rm(feed.dir, { recursive: true, force: true });
  if (work) await rm(work, { recursive: true, force: true });
  pki?.cleanup();
});

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a value inside `signed` (objects and arrays walked). */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function getAt(root: Json, path: (string | number)[]): Json {
  let v: Json = root;
  for (const k of path) v = (v as Record<string, Json>)[k as string];
  return v;
}

function setAt(root: Json, path: (string | number)[], value: Json | undefined): void {
  const parent = getAt(root, path.slice(0, -1)) as Record<string, Json> | Json[];
  const key = path[path.length - 1];
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key as string];
  } else (parent as Record<string, Json>)[key as string] = value;
}

/** A replacement value of a different kind or content. */
function otherValue(rng: () => number, old: Json): Json {
  if (typeof old === 'number')
    return pick(rng, [old + 1, old - 1, 0, -1, 2 ** 53, 1.5, old * 1000, `${old}`]);
  if (typeof old === 'string')
    return pick(rng, [
      old + 'x',
      old.slice(1),
      old.toUpperCase() === old ? old.toLowerCase() + 'q' : old.toUpperCase(),
      '',
      '../../etc/passwd',
      '2099-01-01T00:00:00Z',
      '1970-01-01T00:00:00Z',
      'ed25519',
      42 as unknown as string,
    ]);
  if (typeof old === 'boolean') return !old;
  if (old === null) return 'null';
  if (Array.isArray(old)) return pick(rng, [[], [...old, old[0] ?? 'x'], 'not-an-array']);
  return pick(rng, [{}, { ...old, extra: 'field' }, []]);
}

/**
 * What the client actually reads from a metadata document: tuf-js's own model of it
 * (re-serialised, keys sorted) plus the signatures; null when it does not even parse.
 * tuf-js verifies signatures over this re-serialised model, not over the bytes received,
 * so a key it drops while parsing (e.g. an extra entry in timestamp `meta` beside
 * `snapshot.json`) changes nothing it reads and still verifies: malleable but inert.
 */
function identity(text: string, kind: MetadataKind): string | null {
  try {
    const raw = JSON.parse(text) as { signed: unknown; signatures: unknown };
    const md = Metadata.fromJSON(kind as MetadataKind.Root, raw as never);
    const sig = Object.values(md.signatures).map((x) => ({ keyid: x.keyID, sig: x.sig }));
    const model = { signed: md.signed.toJSON(), signatures: sig };
    const sort = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(sort)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.keys(v)
                .sort()
                .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
            )
          : v;
    return JSON.stringify(sort(model));
  } catch {
    return null;
  }
}

/** Mutate one metadata file: a signed field, a signature, or raw bytes. */
function mutate(rng: () => number, original: Buffer): { bytes: Buffer; how: string } {
  const doc = JSON.parse(original.toString('utf8')) as { signed: Json; signatures: Json[] };
  const r = rng();
  if (r < 0.55) {
    const all = paths(doc.signed).filter((p) => p.length > 0);
    const path = pick(rng, all);
    const old = getAt(doc.signed, path);
    if (rng() < 0.25) setAt(doc.signed, path, undefined);
    else setAt(doc.signed, path, otherValue(rng, old));
    return { bytes: Buffer.from(JSON.stringify(doc, null, 1)), how: `signed.${path.join('.')}` };
  }
  if (r < 0.8) {
    const sigs = doc.signatures as { keyid: string; sig: string }[];
    const choice = int(rng, 0, 3);
    if (choice === 0) doc.signatures = [];
    else if (choice === 1 && sigs[0])
      sigs[0].sig = sigs[0].sig.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));
    else if (choice === 2 && sigs[0]) sigs[0].keyid = 'f'.repeat(64);
    else doc.signatures = sigs.map((s) => ({ ...s, sig: s.sig.slice(0, -2) }));
    return { bytes: Buffer.from(JSON.stringify(doc, null, 1)), how: `signatures#${choice}` };
  }
  const out = Buffer.from(original);
  const flips = int(rng, 1, 6);
  for (let i = 0; i < flips; i++) out[int(rng, 0, out.length - 1)] = int(rng, 0x20, 0x7e);
  if (rng() < 0.2) return { bytes: out.subarray(0, int(rng, 0, out.length)), how: 'truncated' };
  return { bytes: out, how: `bytes×${flips}` };
}

describe('fuzz: TUF metadata', () => {
  it('rejects every mutation of signed metadata with ERR_FEED_* and installs nothing', async () => {
    const { rng, seed } = suiteRng('tuf');
    const n = fuzzIterations(36, 0.02);
    const v = (role: 'snapshot' | 'targets'): number => feed.repo.version(role);
    const roles = [
      { file: 'timestamp.json', url: '/metadata/timestamp.json', kind: MetadataKind.Timestamp },
      {
        file: `${v('snapshot')}.snapshot.json`,
        url: `/metadata/${v('snapshot')}.snapshot.json`,
        kind: MetadataKind.Snapshot,
      },
      {
        file: `${v('targets')}.targets.json`,
        url: `/metadata/${v('targets')}.targets.json`,
        kind: MetadataKind.Targets,
      },
      // An attacker's "next root": version 2 of the shipped root, mutated.
      { file: '1.root.json', url: '/metadata/2.root.json', kind: MetadataKind.Root, root: true },
    ];
    const seen = new Map<string, number>();
    let tried = 0;
    let inert = 0;
    for (let i = 0; i < n; i++) {
      const role = roles[i % roles.length];
      let original = await readFile(join(feed.repo.metadataDir, role.file));
      if (role.root) {
        const doc = JSON.parse(original.toString('utf8')) as { signed: { version: number } };
        doc.signed.version = 2;
        original = Buffer.from(JSON.stringify(doc, null, 1));
      }
      const { bytes, how } = mutate(rng, original);
      // A mutation the client cannot see (formatting, keys its parser drops) is not an
      // attack on it; the root's version bump alone already is one.
      const before = identity(original.toString('utf8'), role.kind);
      if (!role.root && identity(bytes.toString('utf8'), role.kind) === before) {
        inert++;
        continue;
      }
      tried++;
      const label = `seed ${seed} #${i} ${role.url} ${how}`;
      feed.server.overrides.clear();
      feed.server.overrides.set(role.url, serveBytes(bytes));
      const dir = join(work, `case-${i}`);
      const installRoot = join(dir, 'LLMrecon');
      await mkdir(installRoot, { recursive: true });
      const service = createUpdateService({
        stateDir: join(dir, 'state'),
        feed: { url: feed.server.url, rootJson: feed.repo.initialRootPath },
        http: client,
        download: directDownload(client),
        installRoot,
        coreBinaryPath: join(installRoot, 'bin', 'llmrecon'),
        checkIntervalMs: 0,
        validateTimeoutMs: 5000,
      });
      try {
        const status = await service.check();
        expect(status.feed.error?.code ?? 'accepted', label).toMatch(
          /^ERR_FEED_(SIGNATURE|INVALID|ROLLBACK|EXPIRED)$/,
        );
        seen.set(status.feed.error!.code, (seen.get(status.feed.error!.code) ?? 0) + 1);
        const res = await service.install('templates');
        expect(res.ok, label).toBe(false);
        expect(await readdir(installRoot), label).toEqual([]);
      } finally {
        await service.close();
        await rm(dir, { recursive: true, force: true });
      }
    }
    feed.server.overrides.clear();
    expect(tried).toBeGreaterThan(n / 2);
    // The unmutated feed still works, so the rejections above were about the mutations.
    const control = createUpdateService({
      stateDir: join(work, 'control'),
      feed: { url: feed.server.url, rootJson: feed.repo.initialRootPath },
      http: client,
      download: directDownload(client),
      installRoot: join(work, 'control-root'),
      coreBinaryPath: join(work, 'control-root', 'bin', 'llmrecon'),
      checkIntervalMs: 0,
    });
    try {
      expect((await control.check()).feed.state).toBe('ok');
    } finally {
      await control.close();
    }
    console.log(
      `tuf fuzz: seed ${seed}, ${tried} mutations rejected: ${JSON.stringify([...seen])}, ${inert} inert`,
    );
  });
});
