import { execFileSync } from 'node:child_process';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EventChannel, EventPayloads } from '../../preload/contract';
import type { EventHub } from '../core/services';
import { SecureClient } from '../net/secure-client';
import { createTestPki, type TestPki } from '../test-support/pki';
import { directDownload } from './download-adapters';
import { signMetadata } from './publisher/repository';
import type { StoredKey } from './publisher/keys';
import { coreArchive } from './test-fixtures';
import { createTestFeed, publish, release, type TestFeed } from './test-feed';
import { serveBytes, serveEndless } from './test-feed-server';
import { createUpdateService, type UpdateServiceHandle } from './update-service';

let pki: TestPki;
let feed: TestFeed;
let client: SecureClient;
let work: string;
const services: UpdateServiceHandle[] = [];
let events: { event: EventChannel; payload: unknown }[];

beforeAll(() => {
  pki = createTestPki();
});
afterAll(() => pki.cleanup());

beforeEach(async () => {
  feed = await createTestFeed(pki);
  client = new SecureClient({
    options: { ca: [pki.root.cert], useSystemRoots: false, retry: { maxAttempts: 1 } },
  });
  work = await mkdtemp(join(tmpdir(), 'llmrecon-svc-'));
  events = [];
});
afterEach(async () => {
  for (const s of services.splice(0)) await s.close();
  await client.close();
  await feed.close();
  await rm(feed.dir, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

const hub: EventHub = {
  emit<E extends EventChannel>(event: E, payload: EventPayloads[E]) {
    events.push({ event, payload });
  },
  subscribe: () => () => undefined,
};

function service(
  overrides: { stateDir?: string; pins?: string[]; url?: string } = {},
): UpdateServiceHandle {
  const s = createUpdateService({
    stateDir: overrides.stateDir ?? join(work, 'state'),
    feed: {
      url: overrides.url ?? feed.server.url,
      rootJson: feed.repo.initialRootPath,
      pins: overrides.pins,
      label: 'Test feed',
    },
    http: client,
    download: directDownload(client),
    installRoot: join(work, 'LLMrecon'),
    coreBinaryPath: join(work, 'LLMrecon', 'bin', 'llmrecon'),
    events: hub,
    checkIntervalMs: 0,
    validateTimeoutMs: 5000,
  });
  services.push(s);
  return s;
}

async function keysOf(role: string): Promise<StoredKey[]> {
  return JSON.parse(
    await readFile(join(feed.repo.dir, 'keys', `${role}.json`), 'utf8'),
  ) as StoredKey[];
}

async function metadata(
  name: string,
): Promise<{ signed: Record<string, unknown>; signatures: { keyid: string; sig: string }[] }> {
  return JSON.parse(await readFile(join(feed.repo.metadataDir, name), 'utf8'));
}

describe('update-service', () => {
  describe('check()', () => {
    it('lists installed and available versions with release notes and notifies once', async () => {
      const s = service();
      await s.start();
      const st = s.status();
      expect(st.feed).toMatchObject({ state: 'ok', label: 'Test feed', error: null });
      const byKey = Object.fromEntries(st.components.map((c) => [c.key, c]));
      expect(Object.keys(byKey)).toEqual(['core', 'templates', 'module:openai']);
      expect(byKey.core).toMatchObject({
        installedVersion: null,
        availableVersion: '1.1.0',
        updateAvailable: true,
        releaseNotes: 'llmrecon 1.1.0: improvements',
      });
      const available = events.filter((e) => e.event === 'updates:available');
      expect(available).toHaveLength(1);
      await s.check();
      expect(events.filter((e) => e.event === 'updates:available')).toHaveLength(1);
    });

    it('hides beta releases from stable users and shows them on the beta channel', async () => {
      await publish(
        feed.repo,
        feed.dir,
        release('templates', 'templates', '2.0.0-beta.1', { channel: 'beta' }),
        (await import('./test-fixtures')).templatesArchive('2.0.0-beta.1'),
      );
      const s = service();
      await s.start();
      expect(s.status().components.find((c) => c.key === 'templates')?.availableVersion).toBe(
        '1.1.0',
      );
      const beta = createUpdateService({
        stateDir: join(work, 'state-beta'),
        feed: { url: feed.server.url, rootJson: feed.repo.initialRootPath },
        http: client,
        download: directDownload(client),
        installRoot: join(work, 'LLMrecon'),
        coreBinaryPath: join(work, 'LLMrecon', 'bin', 'llmrecon'),
        channel: 'beta',
        checkIntervalMs: 0,
      });
      services.push(beta);
      await beta.start();
      expect(beta.status().components.find((c) => c.key === 'templates')?.availableVersion).toBe(
        '2.0.0-beta.1',
      );
    });

    it('reports a freeze (expired timestamp) as ERR_FEED_EXPIRED and keeps the last known good state', async () => {
      const s = service();
      await s.start();
      await feed.repo.expire('timestamp');
      const st = await s.check();
      expect(st.feed.state).toBe('expired');
      expect(st.feed.error?.code).toBe('ERR_FEED_EXPIRED');
      expect(st.feed.error?.message).toMatch(/^feed metadata expired on \d{4}-\d\d-\d\dT/);
      expect(st.components.find((c) => c.key === 'core')?.availableVersion).toBe('1.1.0');
      const res = await s.install('core');
      expect(res).toMatchObject({ ok: false, error: { code: 'ERR_FEED_EXPIRED' } });
      // A restarted app still shows the last known good state.
      const again = service();
      await again.start();
      expect(again.status().components.find((c) => c.key === 'core')?.availableVersion).toBe(
        '1.1.0',
      );
      expect(again.status().feed.state).toBe('expired');
    });

    it('refuses a timestamp whose signature does not verify (ERR_FEED_SIGNATURE)', async () => {
      const ts = await metadata('timestamp.json');
      (ts.signed as { version: number }).version += 5;
      feed.server.overrides.set(
        '/metadata/timestamp.json',
        serveBytes(Buffer.from(JSON.stringify(ts))),
      );
      const st = await service().check();
      expect(st.feed.state).toBe('invalid');
      expect(st.feed.error?.code).toBe('ERR_FEED_SIGNATURE');
    });

    it('refuses metadata below the signature threshold', async () => {
      await feed.close();
      feed = await createTestFeed(pki, { keys: { timestamp: 2 }, thresholds: { timestamp: 2 } });
      expect((await service().check()).feed.state).toBe('ok');
      const ts = await metadata('timestamp.json');
      ts.signatures = ts.signatures.slice(0, 1);
      feed.server.overrides.set(
        '/metadata/timestamp.json',
        serveBytes(Buffer.from(JSON.stringify(ts))),
      );
      const fresh = service({ stateDir: join(work, 'state2') });
      expect((await fresh.check()).feed.error?.code).toBe('ERR_FEED_SIGNATURE');
    });

    it('refuses a replayed older timestamp (ERR_FEED_ROLLBACK)', async () => {
      const s = service();
      const old = await readFile(join(feed.repo.metadataDir, 'timestamp.json'));
      await s.check();
      await feed.repo.signSnapshotAndTimestamp();
      expect((await s.check()).feed.state).toBe('ok');
      feed.server.overrides.set('/metadata/timestamp.json', serveBytes(old));
      const st = await s.check();
      expect(st.feed.error?.code).toBe('ERR_FEED_ROLLBACK');
    });

    it('refuses a timestamp pointing at an older snapshot, even when validly signed (ERR_FEED_ROLLBACK)', async () => {
      const s = service();
      const oldSnapshotVersion = feed.repo.version('snapshot');
      await feed.repo.signSnapshotAndTimestamp();
      expect((await s.check()).feed.state).toBe('ok');
      // A compromised timestamp key signs a newer timestamp that points at the old snapshot.
      const oldSnap = await readFile(
        join(feed.repo.metadataDir, `${oldSnapshotVersion}.snapshot.json`),
      );
      const ts = await metadata('timestamp.json');
      const body = {
        ...ts.signed,
        version: (ts.signed.version as number) + 1,
        meta: {
          'snapshot.json': {
            version: oldSnapshotVersion,
            length: oldSnap.length,
            hashes: {
              sha256: (await import('node:crypto'))
                .createHash('sha256')
                .update(oldSnap)
                .digest('hex'),
            },
          },
        },
      };
      feed.server.overrides.set(
        '/metadata/timestamp.json',
        serveBytes(signMetadata('timestamp', body, await keysOf('timestamp'))),
      );
      expect((await s.check()).feed.error?.code).toBe('ERR_FEED_ROLLBACK');
    });

    it('refuses mix-and-match: an older targets.json served under the current version (ERR_FEED_INVALID)', async () => {
      const v = feed.repo.version('targets');
      const older = await readFile(join(feed.repo.metadataDir, `${v - 1}.targets.json`));
      feed.server.overrides.set(`/metadata/${v}.targets.json`, serveBytes(older));
      const st = await service().check();
      expect(st.feed.error?.code).toBe('ERR_FEED_INVALID');
    });

    it('cuts off endless metadata (ERR_FEED_INVALID)', async () => {
      feed.server.overrides.set('/metadata/timestamp.json', serveEndless());
      const st = await service().check();
      expect(st.feed.error?.code).toBe('ERR_FEED_INVALID');
      expect(st.feed.error?.message).toMatch(/longer than/);
    });

    it('follows root and timestamp key rotation from the shipped root', async () => {
      const s = service();
      await s.check();
      await feed.repo.rotateKey('root');
      await feed.repo.rotateKey('timestamp');
      await feed.repo.rotateKey('targets');
      const st = await s.check();
      expect(st.feed.state).toBe('ok');
      // A client that only ever had 1.root.json chains through 2 and 3 and 4.
      const fresh = service({ stateDir: join(work, 'fresh') });
      expect((await fresh.check()).feed.state).toBe('ok');
      expect(feed.server.log).toContain('/metadata/4.root.json');
    });

    it('refuses a new root not signed by the old root keys (ERR_FEED_SIGNATURE)', async () => {
      const root = await metadata('1.root.json');
      const { generateKey, publicKeyJson } = await import('./publisher/keys');
      const evil = generateKey();
      const body = structuredClone(root.signed) as {
        version: number;
        keys: Record<string, unknown>;
        roles: { root: { keyids: string[] } };
      };
      body.version = 2;
      body.keys[evil.keyid] = publicKeyJson(evil);
      body.roles.root.keyids = [evil.keyid];
      feed.server.overrides.set(
        '/metadata/2.root.json',
        serveBytes(signMetadata('root', body as never, [evil])),
      );
      expect((await service().check()).feed.error?.code).toBe('ERR_FEED_SIGNATURE');
    });

    it('reports an unreachable feed and a pin mismatch with their codes', async () => {
      const s = service({ url: 'https://127.0.0.1:1' });
      expect((await s.check()).feed).toMatchObject({
        state: 'unreachable',
        error: { code: 'ERR_FEED_UNREACHABLE' },
      });
      const pinned = service({
        stateDir: join(work, 'pinned'),
        pins: ['sha256/' + Buffer.alloc(32, 7).toString('base64')],
      });
      expect((await pinned.check()).feed.error?.code).toBe('ERR_PIN_MISMATCH');
    });
  });

  describe('install()', () => {
    it('installs each component type and rolls back', async () => {
      const s = service();
      await s.start();
      for (const key of ['core', 'templates', 'module:openai']) {
        expect(await s.install(key, { version: '1.0.0' })).toMatchObject({
          ok: true,
          fromVersion: null,
          toVersion: '1.0.0',
        });
      }
      const results = await s.installAll();
      expect(results.map((r) => [r.componentKey, r.ok, r.toVersion])).toEqual([
        ['core', true, '1.1.0'],
        ['templates', true, '1.1.0'],
        ['module:openai', true, '1.1.0'],
      ]);
      expect(
        execFileSync(join(work, 'LLMrecon/bin/llmrecon'), ['--version'], { encoding: 'utf8' }),
      ).toContain('1.1.0');
      expect(await readFile(join(work, 'LLMrecon/modules/openai/module.yaml'), 'utf8')).toContain(
        '1.1.0',
      );
      const core = s.status().components.find((c) => c.key === 'core');
      expect(core).toMatchObject({
        installedVersion: '1.1.0',
        updateAvailable: false,
        backups: ['1.0.0'],
        phase: 'idle',
      });
      expect(await s.rollback('templates')).toMatchObject({
        ok: true,
        fromVersion: '1.1.0',
        toVersion: '1.0.0',
      });
      expect(await readFile(join(work, 'LLMrecon/templates/jailbreak/dan.yaml'), 'utf8')).toContain(
        '1.0.0',
      );
    });

    it('refuses an explicit downgrade without the flag and allows it with it', async () => {
      const s = service();
      await s.start();
      expect((await s.install('templates')).toVersion).toBe('1.1.0');
      expect(await s.install('templates', { version: '1.0.0' })).toMatchObject({
        ok: false,
        error: { code: 'ERR_DOWNGRADE' },
      });
      expect(s.status().components.find((c) => c.key === 'templates')?.installedVersion).toBe(
        '1.1.0',
      );
      expect(
        await s.install('templates', { version: '1.0.0', allowDowngrade: true }),
      ).toMatchObject({ ok: true, toVersion: '1.0.0' });
      // Our own record of the highest version still refuses a plain downgrade below 1.1.0 later.
      await publish(
        feed.repo,
        feed.dir,
        release('templates', 'templates', '1.0.5'),
        (await import('./test-fixtures')).templatesArchive('1.0.5'),
      );
      expect(await s.install('templates', { version: '1.0.5' })).toMatchObject({
        ok: false,
        error: { code: 'ERR_DOWNGRADE' },
      });
    });

    it('refuses a release whose minimum version is above the installed one', async () => {
      const s = service();
      await s.start();
      await s.install('core', { version: '1.0.0' });
      await publish(
        feed.repo,
        feed.dir,
        release('core', 'llmrecon', '2.0.0', { minVersion: '1.1.0' }),
        coreArchive('2.0.0'),
      );
      expect(await s.install('core')).toMatchObject({
        ok: false,
        error: { code: 'ERR_MIN_VERSION' },
      });
      await s.install('core', { version: '1.1.0' });
      expect(await s.install('core')).toMatchObject({ ok: true, toVersion: '2.0.0' });
    });

    it('refuses a tampered target and installs nothing', async () => {
      const s = service();
      await s.start();
      const target = feed.repo
        .listTargets()
        .find((t) => t.path.startsWith('templates/templates/1.1.0'))!;
      const url = `/targets/templates/templates/1.1.0/any-any/${target.hashes.sha256}.templates-1.1.0.tar.gz`;
      const good = await readFile(join(feed.repo.targetsDir, url.slice('/targets/'.length)));
      const bad = Buffer.from(good);
      bad[bad.length - 10] ^= 0xff;
      feed.server.overrides.set(url, serveBytes(bad));
      const res = await s.install('templates');
      expect(res).toMatchObject({ ok: false, error: { code: 'ERR_INTEGRITY' } });
      expect(s.status().components.find((c) => c.key === 'templates')?.installedVersion).toBeNull();
    });

    it('cuts off a target longer than its declared length', async () => {
      const s = service();
      await s.start();
      const target = feed.repo.listTargets().find((t) => t.path.startsWith('module/openai/1.1.0'))!;
      const url = `/targets/module/openai/1.1.0/any-any/${target.hashes.sha256}.openai-1.1.0.zip`;
      const good = await readFile(join(feed.repo.targetsDir, url.slice('/targets/'.length)));
      feed.server.overrides.set(url, serveBytes(Buffer.concat([good, Buffer.alloc(4096, 1)])));
      const res = await s.install('module:openai');
      expect(res.ok).toBe(false);
      expect(res.error?.code).toMatch(/^ERR_(TOO_LARGE|SIZE_MISMATCH)$/);
      expect(
        s.status().components.find((c) => c.key === 'module:openai')?.installedVersion,
      ).toBeNull();
    });

    it('leaves the current core untouched when the new core fails validation', async () => {
      const s = service();
      await s.start();
      await s.install('core', { version: '1.1.0' });
      await publish(
        feed.repo,
        feed.dir,
        release('core', 'llmrecon', '1.2.0'),
        coreArchive('1.2.0', { lie: '1.1.9' }),
      );
      const res = await s.install('core');
      expect(res).toMatchObject({ ok: false, error: { code: 'ERR_VALIDATION_FAILED' } });
      expect(
        execFileSync(join(work, 'LLMrecon/bin/llmrecon'), ['--version'], { encoding: 'utf8' }),
      ).toContain('1.1.0');
      expect(s.status().components.find((c) => c.key === 'core')).toMatchObject({
        installedVersion: '1.1.0',
        backups: [],
      });
    });

    it('answers ERR_TARGET_NOT_FOUND and ERR_NO_BACKUP', async () => {
      const s = service();
      await s.start();
      expect(await s.install('module:nope')).toMatchObject({
        ok: false,
        error: { code: 'ERR_TARGET_NOT_FOUND' },
      });
      expect(await s.install('core', { version: '9.9.9' })).toMatchObject({
        ok: false,
        error: { code: 'ERR_TARGET_NOT_FOUND' },
      });
      expect(await s.rollback('core')).toMatchObject({
        ok: false,
        error: { code: 'ERR_NO_BACKUP' },
      });
    });
  });
});
