/**
 * The fault and attack matrix (issue 10): every scenario of the fault server, sequential
 * (1 connection) and segmented (4), through the CLI (`download --json`, in process) and the
 * job manager (real SecureDownloader over a real SecureClient, wired as create-core.ts does);
 * then every feed-tampering scenario through `install --json` and the update service with
 * job downloads. Each case declares its outcome; after each one the invariants hold:
 * dest absent or verified, part state consistent, job store loads, installed components
 * unchanged unless an install succeeded. The table goes to MATRIX_REPORT (default a temp
 * file); `node scripts/matrix-report.mjs` regenerates docs/verification-matrix.md.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDownloadCommand } from '../cli/commands/download';
import { runInstallCommand } from '../cli/commands/install';
import { createEventHub } from '../core/event-hub';
import type { SecureDownloadOptions } from '../download/options';
import { SecureDownloader, type DownloadTransport } from '../download/secure-downloader';
import { createJobManager, createSecureJobDownloader, type JobManager } from '../jobs';
import type { ConnectionSecurityPatch } from '../net/options';
import { SecureClient } from '../net/secure-client';
import {
  startFaultServer,
  type BodyScenario,
  type FaultServer,
  type TlsScenario,
} from '../test-support/fault-server';
import { createTestPki, type TestPki } from '../test-support/pki';
import { jobDownload } from '../update/download-adapters';
import { signMetadata } from '../update/publisher/repository';
import type { StoredKey } from '../update/publisher/keys';
import { createTestFeed, publish, release, type TestFeed } from '../update/test-feed';
import { serveBytes, serveEndless } from '../update/test-feed-server';
import { rawTarGz } from '../update/test-archives';
import { createUpdateService } from '../update/update-service';
import {
  MODES,
  checkDest,
  checkJobStore,
  checkPartState,
  findResumeStates,
  renderMatrix,
  sha256Hex,
  treeFingerprint,
  writeMatrix,
  type MatrixRow,
  type Mode,
  type Outcome,
} from './matrix-support';

const BODY = randomBytes(512 * 1024);

/** Short timeouts and retry delays so the whole matrix fits in a few minutes. */
const CLIENT_BASE: ConnectionSecurityPatch = {
  useSystemRoots: false,
  proxyFromEnv: false,
  retry: { maxAttempts: 2, initialDelayMs: 20, maxDelayMs: 100, maxRetryAfterMs: 1500 },
  timeouts: { connect: 5000, tlsHandshake: 5000, responseHeaders: 5000, idle: 700, total: 0 },
  maxRedirects: 5,
};

/** Downloader options: small segments so 512 KiB really splits four ways. */
const DOWNLOAD_OPTIONS: Partial<SecureDownloadOptions> = {
  minSegmentSize: 64 * 1024,
  // Bounded range requests of 128 KiB (the default 8 MiB would fetch 512 KiB in one go).
  requestChunkBytes: 128 * 1024,
  segmentAttempts: 3,
  retryInitialDelayMs: 20,
  retryMaxDelayMs: 100,
  progressIntervalMs: 50,
  checkpointIntervalMs: 100,
};

/** One download scenario and what each mode must end in. */
interface DownloadCase {
  group: 'body' | 'range' | 'status' | 'redirect' | 'tls' | 'control';
  scenario: BodyScenario | TlsScenario;
  attack: string;
  tls?: boolean;
  /** Pin the genuine key for the origin (a pinned download). */
  pinned?: boolean;
  client?: ConnectionSecurityPatch;
  seq: Outcome;
  seg: Outcome;
}

const DOWNLOAD_CASES: DownloadCase[] = [
  { group: 'control', scenario: 'ok', attack: 'none (control)', seq: 'verified', seg: 'verified' },
  {
    group: 'control',
    scenario: 'ok',
    attack: 'pinned origin, genuine key (control)',
    pinned: true,
    seq: 'verified',
    seg: 'verified',
  },
  {
    group: 'body',
    scenario: 'corrupt',
    attack: 'malicious mirror: one byte flipped',
    seq: 'ERR_INTEGRITY',
    seg: 'ERR_INTEGRITY',
  },
  {
    group: 'body',
    scenario: 'drop-once',
    attack: 'connection dropped after 64 KiB',
    seq: 'verified',
    seg: 'verified',
  },
  {
    group: 'body',
    scenario: 'stall-once',
    attack: 'stall after 32 KiB (idle timeout, then resume)',
    seq: 'verified',
    seg: 'verified',
  },
  {
    group: 'body',
    scenario: 'stall-always',
    attack: 'headers, then silence, every time',
    seq: 'ERR_TIMEOUT',
    seg: 'ERR_TIMEOUT',
  },
  {
    group: 'body',
    scenario: 'slow-drip',
    // ~640 KiB/s: live, under the idle timeout and above the default low-speed floor (1 KiB/s
    // over 60 s), so it must not be killed.
    attack: 'slow drip (16 KiB / 25 ms), under the idle timeout, above the low-speed floor',
    seq: 'verified',
    seg: 'verified',
  },
  {
    group: 'body',
    scenario: 'slow-drip',
    // The same drip against a floor it cannot meet (4 MiB/s over 50 ms, so no 64 KiB remainder
    // can finish inside one window): every request fails
    // with TimeoutError phase 'lowSpeed' (retryable). Progress made too slowly does not renew
    // the segment's attempt budget, so the download gives up with ERR_TIMEOUT instead of
    // crawling on at the drip rate; dest stays absent. The per-request bound itself is proven
    // in main/net/body-monitor.test.ts (lowSpeed).
    attack: 'slow drip below the low-speed floor (gives up after the segment attempts)',
    client: {
      timeouts: { ...CLIENT_BASE.timeouts, lowSpeed: { bytesPerSecond: 4 << 20, windowMs: 50 } },
    },
    seq: 'ERR_TIMEOUT',
    seg: 'ERR_TIMEOUT',
  },
  {
    group: 'body',
    scenario: 'short-body',
    attack: 'every body 1 KiB short of Content-Length',
    seq: 'ERR_NETWORK',
    seg: 'ERR_NETWORK',
  },
  {
    group: 'body',
    scenario: 'long-body',
    attack: '64 KiB of garbage past Content-Length',
    seq: 'verified',
    seg: 'verified',
  },
  {
    group: 'body',
    scenario: 'endless',
    attack: 'endless chunked body (no Content-Length)',
    seq: 'ERR_TOO_LARGE',
    seg: 'ERR_TOO_LARGE',
  },
  {
    group: 'range',
    scenario: 'ignore-range',
    attack: '200 where 206 was asked for',
    seq: 'verified',
    seg: 'verified',
  },
  {
    group: 'range',
    scenario: 'etag-change',
    attack: 'ETag changes on every response (+ first drop)',
    // Every ranged request after the first (bounded 128 KiB chunks, resumes, splits) carries
    // If-Range with an ETag the server no longer has, so it gets 200: the download restarts
    // from zero and, after 3 restarts, refuses. Two versions are never spliced.
    seq: 'ERR_RANGE_INVALID',
    seg: 'ERR_RANGE_INVALID',
  },
  {
    group: 'range',
    scenario: 'wrong-content-range',
    attack: '206 with a Content-Range off by one',
    seq: 'ERR_RANGE_INVALID',
    seg: 'ERR_RANGE_INVALID',
  },
  {
    group: 'status',
    scenario: 'retry-after-429',
    attack: '429 + Retry-After: 1 once',
    seq: 'verified',
    seg: 'verified',
  },
  {
    group: 'status',
    scenario: 'retry-after-503',
    attack: '503 + Retry-After: 1 always',
    seq: 'ERR_HTTP_STATUS',
    seg: 'ERR_HTTP_STATUS',
  },
  {
    group: 'redirect',
    scenario: 'redirect-ok',
    attack: 'pinned redirect on the same host (control)',
    pinned: true,
    seq: 'verified',
    seg: 'verified',
  },
  {
    group: 'redirect',
    scenario: 'redirect-loop',
    attack: 'redirect loop',
    seq: 'ERR_TOO_MANY_REDIRECTS',
    seg: 'ERR_TOO_MANY_REDIRECTS',
  },
  {
    group: 'redirect',
    scenario: 'redirect-http',
    attack: 'redirect to http://',
    seq: 'ERR_REDIRECT_INSECURE',
    seg: 'ERR_REDIRECT_INSECURE',
  },
  {
    group: 'redirect',
    scenario: 'redirect-unpinned',
    attack: 'pinned origin redirects to an unpinned host',
    pinned: true,
    seq: 'ERR_REDIRECT_INSECURE',
    seg: 'ERR_REDIRECT_INSECURE',
  },
  {
    group: 'tls',
    scenario: 'tls12-only',
    tls: true,
    attack: 'server offers TLS 1.2 only (downgrade)',
    seq: 'ERR_TLS_VERSION',
    seg: 'ERR_TLS_VERSION',
  },
  {
    group: 'tls',
    scenario: 'expired',
    tls: true,
    attack: 'expired certificate',
    seq: 'ERR_CERT_EXPIRED',
    seg: 'ERR_CERT_EXPIRED',
  },
  {
    group: 'tls',
    scenario: 'untrusted',
    tls: true,
    attack: 'certificate from an untrusted CA',
    seq: 'ERR_CERT_UNTRUSTED',
    seg: 'ERR_CERT_UNTRUSTED',
  },
  {
    group: 'tls',
    scenario: 'wrong-host',
    tls: true,
    attack: 'certificate for another host',
    seq: 'ERR_CERT_HOSTNAME',
    seg: 'ERR_CERT_HOSTNAME',
  },
  {
    group: 'tls',
    scenario: 'mitm-key',
    tls: true,
    pinned: true,
    attack: 'network MITM: trusted CA, different key',
    seq: 'ERR_PIN_MISMATCH',
    seg: 'ERR_PIN_MISMATCH',
  },
  {
    group: 'tls',
    scenario: 'mixed-chain',
    tls: true,
    attack: 'leaf sent with another CA’s intermediate',
    seq: 'ERR_CERT_UNTRUSTED',
    seg: 'ERR_CERT_UNTRUSTED',
  },
  {
    group: 'tls',
    scenario: 'revoked-staple',
    tls: true,
    attack: 'revoked OCSP staple (soft mode)',
    seq: 'ERR_CERT_REVOKED',
    seg: 'ERR_CERT_REVOKED',
  },
  {
    group: 'tls',
    scenario: 'mtls-required',
    tls: true,
    attack: 'server demands a client certificate',
    seq: 'ERR_CLIENT_CERT_REQUIRED',
    seg: 'ERR_CLIENT_CERT_REQUIRED',
  },
];

let pki: TestPki;
let fault: FaultServer;
let work: string;
let installBaseline: string;
const rows: MatrixRow[] = [];
const started = Date.now();

beforeAll(async () => {
  pki = createTestPki();
  fault = await startFaultServer({ pki, body: BODY });
  work = await mkdtemp(join(tmpdir(), 'llmrecon-matrix-'));
  // An install root that download cases must never touch (invariant 4 for those rows).
  installBaseline = join(work, 'LLMrecon');
  await mkdir(join(installBaseline, 'templates'), { recursive: true });
  await writeFile(join(installBaseline, 'templates', 'keep.yaml'), 'id: keep\n');
});

afterAll(async () => {
  await fault?.close();
  const file = process.env.MATRIX_REPORT ?? join(tmpdir(), 'llmrecon-verification-matrix.md');
  if (rows.length > 0) {
    const md = renderMatrix(rows, {
      seconds: (Date.now() - started) / 1000,
      when: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    });
    await writeMatrix(file, md);
    console.log(`\n${md}\nmatrix written to ${file}`);
  }
  if (work) await rm(work, { recursive: true, force: true });
  pki?.cleanup();
});

function rowFor(group: string, scenario: string, attack: string): MatrixRow {
  let row = rows.find((r) => r.scenario === scenario && r.attack === attack);
  if (!row) rows.push((row = { group, scenario, attack, cells: {} }));
  return row;
}

function clientFor(c: DownloadCase): SecureClient {
  return new SecureClient({ options: { ...CLIENT_BASE, ca: [pki.root.cert], ...c.client } });
}

function captureIo() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (d) => (out += d));
  stderr.resume();
  return { io: { stdout, stderr, isTTY: false }, out: () => out };
}

function urlOf(c: DownloadCase, file: string): string {
  return c.tls
    ? fault.tlsUrl(c.scenario as TlsScenario, file)
    : fault.urlFor(c.scenario as BodyScenario, file);
}

/** `download <url> -o dest --sha256 … --size … --connections N --json`, in process. */
async function viaCli(c: DownloadCase, url: string, dest: string, connections: number) {
  const client = clientFor(c);
  const argv = [
    url,
    '-o',
    dest,
    '--sha256',
    fault.sha256,
    '--size',
    String(BODY.length),
    '--connections',
    String(connections),
    '--json',
    ...(c.pinned ? ['--pin', fault.genuinePin] : []),
  ];
  const cap = captureIo();
  const code = await runDownloadCommand(argv, cap.io, {
    createTransport: async () => ({
      request: (u, i) => client.request(u, i),
      close: () => void client.close(),
    }),
    extraOptions: DOWNLOAD_OPTIONS,
  });
  const line = JSON.parse(cap.out().trim().split('\n').pop() ?? '{}') as {
    ok?: boolean;
    code?: string;
    sha256?: string;
  };
  expect(code === 0).toBe(line.ok === true);
  if (line.ok) {
    expect(line.sha256).toBe(fault.sha256);
    return 'verified' as Outcome;
  }
  return line.code as Outcome;
}

/** The job manager over the real downloader and a per-case client (create-core.ts wiring). */
let jobs: JobManager;
let jobsState: string;
let jobsConnections = 1;
let currentClient: SecureClient | null = null;
const delegating: DownloadTransport = {
  request: (u, i) => {
    if (!currentClient) throw new Error('no client for this case');
    return currentClient.request(u, i);
  },
};

async function waitForJob(id: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const snap = jobs.list().find((j) => j.id === id);
    if (!snap) throw new Error(`job ${id} vanished`);
    if (['completed', 'failed', 'canceled', 'paused'].includes(snap.state)) return snap;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${snap.state}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function viaJobs(c: DownloadCase, url: string, dest: string, connections: number) {
  currentClient = clientFor(c);
  jobsConnections = connections;
  try {
    const snap = await jobs.add({
      url,
      dest,
      expectedHash: fault.sha256,
      expectedSize: BODY.length,
      connections,
      ...(c.pinned ? { pins: [fault.genuinePin] } : {}),
    });
    const done = await waitForJob(snap.id);
    if (done.state === 'completed') {
      expect(done.sha256).toBe(fault.sha256);
      return 'verified' as Outcome;
    }
    expect(done.state).toBe('failed');
    return (done.error?.code ?? 'ERR_INTERNAL') as Outcome;
  } finally {
    await currentClient.close();
    currentClient = null;
  }
}

describe('verification matrix', () => {
  describe('downloads: fault server × {seq, seg} × {cli, jobs}', () => {
    beforeAll(async () => {
      jobsState = join(work, 'jobs-state');
      jobs = await createJobManager({
        downloader: createSecureJobDownloader(new SecureDownloader(delegating), {
          baseOptions: () => DOWNLOAD_OPTIONS,
        }),
        stateDir: jobsState,
        events: createEventHub(),
        settings: () => ({
          maxActive: 1,
          connectionsPerJob: jobsConnections,
          perHostConnections: 16,
          autoResume: false,
          downloadDir: join(work, 'downloads'),
        }),
        checkpointIntervalMs: 100,
        batchIntervalMs: 50,
        onWarning: () => undefined,
      });
    });
    afterAll(async () => {
      await jobs?.close();
    });

    const table = DOWNLOAD_CASES.flatMap((c) =>
      (['cli · seq', 'cli · seg', 'jobs · seq', 'jobs · seg'] as Mode[]).map((mode) => ({
        c,
        mode,
      })),
    );
    it.each(table)('$c.scenario ($c.attack) via $mode', async ({ c, mode }) => {
      const t0 = Date.now();
      const seg = mode.endsWith('seg');
      const expected = seg ? c.seg : c.seq;
      // The case index keeps two rows of one scenario (e.g. slow-drip above and below the
      // low-speed floor) from sharing a destination or the server's per-file state.
      const slug = `${DOWNLOAD_CASES.indexOf(c)}-${c.scenario}-${c.pinned ? 'p-' : ''}${mode.replace(/[^a-z]+/g, '-')}`;
      const dir = join(work, slug);
      await mkdir(dir, { recursive: true });
      const dest = join(dir, 'payload.bin');
      const url = urlOf(c, `${slug}.bin`);
      const before = await treeFingerprint(installBaseline);
      const actual = mode.startsWith('cli')
        ? await viaCli(c, url, dest, seg ? 4 : 1)
        : await viaJobs(c, url, dest, seg ? 4 : 1);
      rowFor(c.group, c.scenario, c.attack).cells[mode] = {
        expected,
        actual,
        ms: Date.now() - t0,
      };
      // The declared outcome, then the four invariants.
      expect(actual).toBe(expected);
      expect(await checkDest(dest, fault.sha256, actual === 'verified')).toEqual([]);
      expect(await checkPartState(dest, BODY, actual)).toEqual([]);
      if (mode.startsWith('jobs')) expect(await checkJobStore(jobsState)).toEqual([]);
      expect(await treeFingerprint(installBaseline)).toBe(before);
      if (seg && actual === 'verified' && !['ignore-range', 'endless'].includes(c.scenario)) {
        // Segmented really was segmented: more than one ranged request reached the server.
        const ranged = fault.log.filter((r) => r.key.endsWith(`/${slug}.bin`) && r.status === 206);
        expect(ranged.length).toBeGreaterThan(1);
      }
    });
  });

  describe('feed tampering × {cli install, update service with jobs seq/seg}', () => {
    let feed: TestFeed;
    let caFile: string;
    let baseline: string;
    let oldTimestamp: Buffer;
    let feedClient: SecureClient;

    const keysOf = async (role: string): Promise<StoredKey[]> =>
      JSON.parse(await readFile(join(feed.repo.dir, 'keys', `${role}.json`), 'utf8'));
    const metadata = async (name: string) =>
      JSON.parse(await readFile(join(feed.repo.metadataDir, name), 'utf8')) as {
        signed: Record<string, unknown>;
        signatures: { keyid: string; sig: string }[];
      };
    const installArgs = (root: string) => [
      '--feed',
      feed.server.url,
      '--root',
      feed.repo.initialRootPath,
      '--ca',
      caFile,
      '--state',
      join(root, 'state'),
      '--install-root',
      join(root, 'LLMrecon'),
      '--retries',
      '1',
      '--timeout-idle',
      '2000',
      '--json',
    ];

    beforeAll(async () => {
      feed = await createTestFeed(pki);
      caFile = join(work, 'feed-ca.pem');
      await writeFile(caFile, pki.root.cert);
      feedClient = new SecureClient({ options: { ...CLIENT_BASE, ca: [pki.root.cert] } });
      oldTimestamp = await readFile(join(feed.repo.metadataDir, 'timestamp.json'));
      // Baseline: templates 1.0.0 installed through the CLI, then the feed moves on (new
      // timestamp) and the baseline client sees it, so replaying the old one is a rollback.
      baseline = join(work, 'feed-baseline');
      const cap = captureIo();
      const code = await runInstallCommand(
        ['templates', '--version', '1.0.0', ...installArgs(baseline)],
        cap.io,
      );
      expect(code, cap.out()).toBe(0);
      await feed.repo.signSnapshotAndTimestamp();
      const check = captureIo();
      const { runCheckCommand } = await import('../cli/commands/check');
      expect(await runCheckCommand(installArgs(baseline), check.io)).toBe(0);
    });
    afterAll(async () => {
      await feedClient?.close();
      await feed?.close();
      if (feed) await rm(feed.dir, { recursive: true, force: true });
    });

    const templatesUrl = (version: string): string => {
      const t = feed.repo
        .listTargets()
        .find((x) => x.path.startsWith(`templates/templates/${version}/`))!;
      return `/targets/${t.path.replace(/[^/]+$/, `${t.hashes.sha256}.$&`)}`;
    };

    interface FeedCase {
      scenario: string;
      attack: string;
      expected: Outcome;
      /** Set up the attack; `root` is this case's copy of the baseline. */
      arm(root: string): Promise<void>;
    }
    const FEED_CASES: FeedCase[] = [
      {
        scenario: 'feed-clean',
        attack: 'none (control): templates 1.0.0 → 1.1.0',
        expected: 'verified',
        arm: async () => undefined,
      },
      {
        scenario: 'target-tampered',
        attack: 'mirror serves a modified target',
        expected: 'ERR_INTEGRITY',
        arm: async () => {
          const url = templatesUrl('1.1.0');
          const bad = Buffer.from(await readFile(join(feed.repo.targetsDir, url.slice(9))));
          bad[bad.length - 10] ^= 0xff;
          feed.server.overrides.set(url, serveBytes(bad));
        },
      },
      {
        scenario: 'target-longer',
        attack: 'target longer than its signed length',
        expected: 'ERR_TOO_LARGE',
        arm: async () => {
          const url = templatesUrl('1.1.0');
          const good = await readFile(join(feed.repo.targetsDir, url.slice(9)));
          feed.server.overrides.set(url, serveBytes(Buffer.concat([good, Buffer.alloc(4096, 1)])));
        },
      },
      {
        scenario: 'timestamp-bad-signature',
        attack: 'timestamp altered after signing',
        expected: 'ERR_FEED_SIGNATURE',
        arm: async () => {
          const ts = await metadata('timestamp.json');
          (ts.signed as { version: number }).version += 5;
          feed.server.overrides.set(
            '/metadata/timestamp.json',
            serveBytes(Buffer.from(JSON.stringify(ts))),
          );
        },
      },
      {
        scenario: 'timestamp-replay',
        attack: 'replayed older timestamp (freeze/rollback)',
        expected: 'ERR_FEED_ROLLBACK',
        arm: async () => {
          feed.server.overrides.set('/metadata/timestamp.json', serveBytes(oldTimestamp));
        },
      },
      {
        scenario: 'timestamp-expired',
        attack: 'stolen timestamp key signs an expired timestamp',
        expected: 'ERR_FEED_EXPIRED',
        arm: async () => {
          const ts = await metadata('timestamp.json');
          const body = {
            ...ts.signed,
            version: (ts.signed.version as number) + 1,
            expires: '2020-01-01T00:00:00Z',
          };
          feed.server.overrides.set(
            '/metadata/timestamp.json',
            serveBytes(signMetadata('timestamp', body as never, await keysOf('timestamp'))),
          );
        },
      },
      {
        scenario: 'targets-mix-and-match',
        attack: 'older targets.json served as the current version',
        expected: 'ERR_FEED_INVALID',
        arm: async (root) => {
          // A client that has not seen the current targets yet (otherwise it never asks).
          const feeds = join(root, 'state', 'updates', 'feeds');
          for (const id of await readdir(feeds))
            await rm(join(feeds, id, 'metadata', 'targets.json'), { force: true });
          const v = feed.repo.version('targets');
          const older = await readFile(join(feed.repo.metadataDir, `${v - 1}.targets.json`));
          feed.server.overrides.set(`/metadata/${v}.targets.json`, serveBytes(older));
        },
      },
      {
        scenario: 'metadata-endless',
        attack: 'endless timestamp.json',
        expected: 'ERR_FEED_INVALID',
        arm: async () => {
          feed.server.overrides.set('/metadata/timestamp.json', serveEndless());
        },
      },
      {
        scenario: 'signed-zip-slip',
        attack: 'stolen targets key signs a path-traversal archive',
        expected: 'ERR_ARCHIVE_UNSAFE',
        arm: async () => {
          const evil = rawTarGz([
            { name: 'jailbreak/dan.yaml', data: 'id: jb\n' },
            { name: '../../escaped.yaml', data: 'pwned\n' },
          ]);
          const versions = feed.repo
            .listTargets()
            .filter((t) => t.path.startsWith('templates/templates/'));
          if (!versions.some((t) => t.path.includes('/9.0.0/')))
            await publish(feed.repo, feed.dir, release('templates', 'templates', '9.0.0'), evil);
        },
      },
    ];

    const modes: Mode[] = ['cli · seq', 'jobs · seq', 'jobs · seg'];
    const table = FEED_CASES.flatMap((c) => modes.map((mode) => ({ c, mode })));

    it.each(table)('$c.scenario ($c.attack) via $mode', async ({ c, mode }) => {
      const t0 = Date.now();
      const slug = `${c.scenario}-${mode.replace(/[^a-z]+/g, '-')}`;
      const root = join(work, slug);
      await cp(baseline, root, { recursive: true });
      const installRoot = join(root, 'LLMrecon');
      const before = await treeFingerprint(installRoot);
      feed.server.overrides.clear();
      await c.arm(root);
      let actual: Outcome;
      let jobsDir: string | null = null;
      if (mode === 'cli · seq') {
        const cap = captureIo();
        await runInstallCommand(['templates', ...installArgs(root)], cap.io);
        const out = JSON.parse(cap.out()) as { ok?: boolean; error?: { code: string } };
        actual = out.ok ? 'verified' : (out.error?.code as Outcome);
      } else {
        jobsDir = join(root, 'jobs');
        const events = createEventHub();
        const manager = await createJobManager({
          downloader: createSecureJobDownloader(new SecureDownloader(feedClient), {
            baseOptions: () => DOWNLOAD_OPTIONS,
          }),
          stateDir: jobsDir,
          events,
          settings: () => ({
            maxActive: 1,
            connectionsPerJob: mode.endsWith('seg') ? 4 : 1,
            perHostConnections: 16,
            downloadDir: join(root, 'dl'),
          }),
          batchIntervalMs: 50,
          onWarning: () => undefined,
        });
        const service = createUpdateService({
          stateDir: join(root, 'state', 'updates'),
          feed: { url: feed.server.url, rootJson: feed.repo.initialRootPath },
          http: feedClient,
          download: jobDownload(manager, events),
          installRoot,
          coreBinaryPath: join(installRoot, 'bin', 'llmrecon'),
          checkIntervalMs: 0,
          validateTimeoutMs: 5000,
        });
        try {
          await service.start({ check: false });
          const res = await service.install('templates');
          actual = res.ok ? 'verified' : (res.error?.code as Outcome);
        } finally {
          await service.close();
          await manager.close();
        }
      }
      feed.server.overrides.clear();
      rowFor('feed', c.scenario, c.attack).cells[mode] = {
        expected: c.expected,
        actual,
        ms: Date.now() - t0,
      };
      if (mode === 'jobs · seq')
        rowFor('feed', c.scenario, c.attack).cells['cli · seg'] = {
          expected: 'n/a',
          actual: 'n/a',
          ms: 0,
          note: 'CLI install is 1 connection',
        };
      expect(actual).toBe(c.expected);
      // Installed components: changed only by the successful install, and then to 1.1.0.
      const after = await treeFingerprint(installRoot);
      if (actual === 'verified') {
        expect(after).not.toBe(before);
        expect(
          await readFile(join(installRoot, 'templates', 'jailbreak', 'dan.yaml'), 'utf8'),
        ).toContain('1.1.0');
      } else expect(after).toBe(before);
      // Nothing escaped: the parent of the install root holds only what it held.
      expect(existsSync(join(root, 'escaped.yaml'))).toBe(false);
      expect(existsSync(join(work, 'escaped.yaml'))).toBe(false);
      // Downloads: every kept target file is verified (named after its sha256), every
      // resume state is consistent.
      const downloads = join(root, 'state', 'updates', 'downloads');
      for (const name of existsSync(downloads) ? await readdir(downloads) : []) {
        if (name.includes('.part')) continue;
        const data = await readFile(join(downloads, name));
        expect(sha256Hex(data), name).toBe(name.slice(0, 64));
      }
      for (const state of await findResumeStates(root)) {
        expect(
          await checkPartState(state.replace(/\.part\.json$/, ''), null, 'ERR_NETWORK'),
        ).toEqual([]);
      }
      if (jobsDir) expect(await checkJobStore(jobsDir)).toEqual([]);
    });
  });

  it('covers every mode of every download scenario', () => {
    const downloadRows = rows.filter((r) => r.group !== 'feed');
    expect(downloadRows.length).toBe(
      new Set(DOWNLOAD_CASES.map((c) => `${c.scenario}|${c.attack}`)).size,
    );
    for (const r of downloadRows) expect(Object.keys(r.cells).sort()).toEqual([...MODES].sort());
  });
});
