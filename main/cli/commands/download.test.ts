import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readResumeState, statePathOf } from '../../download/resume-state';
import { SecureClient } from '../../net/secure-client';
import { startFileServer, type FileServer } from '../../download/test-support-server';
import { createTestPki, type TestPki } from '../../test-support/pki';
import { parseDownloadArgs, runDownloadCommand, type DownloadCommandDeps } from './download';

const PIN_A = 'sha256/' + Buffer.alloc(32, 1).toString('base64');
const PIN_B = 'sha256/' + Buffer.alloc(32, 2).toString('base64');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let pki: TestPki;
let dir: string;
let server: FileServer | null = null;
let deps: DownloadCommandDeps;

beforeAll(() => {
  pki = createTestPki();
  // A fresh client per run, as the real command makes; it closes it when done.
  deps = {
    createTransport: async () => {
      const client = new SecureClient({
        options: {
          ca: [pki.root.cert],
          useSystemRoots: false,
          retry: { maxAttempts: 2, initialDelayMs: 5 },
        },
      });
      return {
        request: (url, init) => client.request(url, init),
        close: () => void client.close(),
      };
    },
  };
});
afterAll(() => {
  pki.cleanup();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dl-cli-'));
});
afterEach(async () => {
  await server?.close();
  server = null;
  rmSync(dir, { recursive: true, force: true });
});

/** Bundle a tiny entry that runs the real command (default SecureClient transport) in a child. */
async function buildCliBundle(into: string): Promise<string> {
  const root = resolve(__dirname, '../../..');
  const entry = join(into, 'entry.ts');
  writeFileSync(
    entry,
    [
      `import { runDownloadCommand } from ${JSON.stringify(join(root, 'main/cli/commands/download.ts'))};`,
      `runDownloadCommand(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, isTTY: false })`,
      `  .then((c) => { process.exitCode = c; });`,
    ].join('\n'),
  );
  const bundle = join(into, 'entry.cjs');
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron'],
    outfile: bundle,
    logLevel: 'silent',
  });
  return bundle;
}

function captureIo(isTTY = false) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  return { io: { stdout, stderr, isTTY }, out: () => out, err: () => err };
}

describe('download command', () => {
  describe('parseDownloadArgs()', () => {
    it('parses every flag', () => {
      const a = parseDownloadArgs([
        'https://h/x',
        '-o',
        'f',
        '--sha256',
        'a'.repeat(64),
        '--size=10',
        '--pin',
        PIN_A,
        '--pin',
        PIN_B,
        '--ca',
        'ca.pem',
        '--connections',
        '8',
        '--limit-rate',
        '25m',
        '--json',
        '--quiet',
      ]);
      expect(a).toMatchObject({
        url: 'https://h/x',
        output: 'f',
        size: 10,
        pins: [PIN_A, PIN_B],
        caFiles: ['ca.pem'],
        connections: 8,
        limitRate: 25 * 1024 * 1024,
        json: true,
        quiet: true,
      });
    });

    it.each([
      [['https://h/x']],
      [['-o', 'f']],
      [['https://h/x', '-o', 'f', '--connections', '17']],
      [['https://h/x', '-o', 'f', '--sha256', 'xyz']],
      [['https://h/x', '-o', 'f', '--sha256', 'a'.repeat(64), '--sha512', 'b'.repeat(128)]],
      [['https://h/x', '-o', 'f', '--bogus']],
      [['https://h/x', '-o']],
      [['https://h/x', '-o', 'f', '--pin', 'sha256/short']],
      [['https://h/x', '-o', 'f', '--limit-rate', 'fast']],
    ])('rejects %j', (argv) => {
      expect(() => parseDownloadArgs(argv)).toThrow();
    });
  });

  describe('runDownloadCommand()', () => {
    it('prints one JSON line and exits 0 on a verified download', async () => {
      const body = randomBytes(120_000);
      server = await startFileServer(pki, body);
      const out = join(dir, 'f.bin');
      const c = captureIo();
      const code = await runDownloadCommand(
        [server.url, '-o', out, '--sha256', sha256(body), '--json'],
        c.io,
        deps,
      );
      expect(code).toBe(0);
      const lines = c.out().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0])).toMatchObject({
        ok: true,
        sha256: sha256(body),
        bytes: body.length,
      });
      expect(readFileSync(out).equals(body)).toBe(true);
    });

    it('prints {"ok":false,"code":"ERR_INTEGRITY"} and exits 1 on a mismatch', async () => {
      server = await startFileServer(pki, randomBytes(10_000));
      const out = join(dir, 'f.bin');
      const c = captureIo();
      const code = await runDownloadCommand(
        [server.url, '-o', out, '--sha256', sha256(Buffer.from('other')), '--json'],
        c.io,
        deps,
      );
      expect(code).toBe(1);
      expect(JSON.parse(c.out().trim())).toMatchObject({ ok: false, code: 'ERR_INTEGRITY' });
      expect(existsSync(out)).toBe(false);
    });

    it('exits 1 with ERR_SIZE_MISMATCH for a wrong --size', async () => {
      server = await startFileServer(pki, randomBytes(10_000));
      const c = captureIo();
      const code = await runDownloadCommand(
        [server.url, '-o', join(dir, 'f'), '--size', '10001', '--json'],
        c.io,
        deps,
      );
      expect(code).toBe(1);
      expect(JSON.parse(c.out().trim()).code).toBe('ERR_SIZE_MISMATCH');
    });

    it('applies deps.extraOptions to the downloader (regression: the bench and the verification matrix passed options that were dropped)', async () => {
      server = await startFileServer(pki, randomBytes(10_000));
      const c = captureIo();
      // A 10-byte cap the flags cannot express: only extraOptions can make this fail.
      const code = await runDownloadCommand([server.url, '-o', join(dir, 'f'), '--json'], c.io, {
        ...deps,
        extraOptions: { maxSize: 10 },
      });
      expect(code).toBe(1);
      expect(JSON.parse(c.out().trim()).code).toBe('ERR_TOO_LARGE');
    });

    it('exits 2 with a JSON error on bad arguments', async () => {
      const c = captureIo();
      expect(await runDownloadCommand(['--json', 'https://h/x'], c.io, deps)).toBe(2);
      expect(JSON.parse(c.out().trim())).toMatchObject({ ok: false, code: 'ERR_INVALID_ARGUMENT' });
    });

    it('draws a progress bar on a TTY and a summary line on stdout', async () => {
      const body = randomBytes(300_000);
      server = await startFileServer(pki, body);
      server.plan = () => ({ sliceBytes: 16 * 1024, delayMs: 10 });
      const c = captureIo(true);
      const code = await runDownloadCommand([server.url, '-o', join(dir, 'f')], c.io, deps);
      expect(code).toBe(0);
      expect(c.err()).toContain('100%');
      expect(c.out()).toContain(`sha256 ${sha256(body)}`);
    });

    it('uses the real SecureClient with --ca, --pin and --limit-rate', async () => {
      const body = randomBytes(256 * 1024);
      server = await startFileServer(pki, body);
      const caFile = join(dir, 'ca.pem');
      writeFileSync(caFile, pki.root.cert);
      const base = [server.url, '--ca', caFile, '--json'];
      const c = captureIo();
      const started = Date.now();
      const code = await runDownloadCommand(
        [...base, '-o', join(dir, 'a'), '--pin', pki.leaf.pin, '--limit-rate', '256k'],
        c.io,
      );
      expect(code).toBe(0);
      expect(JSON.parse(c.out().trim())).toMatchObject({ ok: true, sha256: sha256(body) });
      // 256 KiB at 256 KiB/s cannot finish much faster than a second (lower bound only).
      expect(Date.now() - started).toBeGreaterThanOrEqual(500);
      // A wrong pin refuses the server.
      const d = captureIo();
      const other = pki.issueLeaf('cli-other');
      expect(
        await runDownloadCommand([...base, '-o', join(dir, 'b'), '--pin', other.pin], d.io),
      ).toBe(1);
      expect(JSON.parse(d.out().trim()).code).toBe('ERR_PIN_MISMATCH');
      expect(existsSync(join(dir, 'b'))).toBe(false);
    });

    it('prints nothing with --quiet on success', async () => {
      server = await startFileServer(pki, randomBytes(1000));
      const c = captureIo(true);
      expect(
        await runDownloadCommand([server.url, '-o', join(dir, 'f'), '--quiet'], c.io, deps),
      ).toBe(0);
      expect(c.out() + c.err()).toBe('');
    });
  });

  describe('kill -9 and re-run', () => {
    it('resumes from the durable state instead of starting over', async () => {
      const body = randomBytes(3 * 1024 * 1024);
      server = await startFileServer(pki, body);
      // Slow enough that the child is killed mid-way: ~16 KiB every 20 ms per connection.
      server.plan = () => ({ sliceBytes: 16 * 1024, delayMs: 20 });
      const caFile = join(dir, 'ca.pem');
      writeFileSync(caFile, pki.root.cert);
      const bundle = await buildCliBundle(dir);
      const out = join(dir, 'big.bin');
      const argv = [
        bundle,
        server.url,
        '-o',
        out,
        '--sha256',
        sha256(body),
        '--json',
        '--connections',
        '2',
        '--ca',
        caFile,
        '--pin',
        pki.leaf.pin,
      ];
      const env = { ...process.env };

      const child = spawn(process.execPath, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let childErr = '';
      child.stdout.on('data', (d) => (childErr += d));
      child.stderr.on('data', (d) => (childErr += d));
      // Kill once the durable state records a good share of the file.
      const deadline = Date.now() + 30_000;
      for (;;) {
        const state = await readResumeState(statePathOf(out));
        const done = state?.segments.reduce((s, x) => s + x.done, 0) ?? 0;
        if (done > body.length / 4) break;
        if (Date.now() > deadline || child.exitCode !== null) {
          throw new Error(`child made no progress: ${childErr}`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      expect(existsSync(out)).toBe(false);
      const checkpointed =
        (await readResumeState(statePathOf(out)))?.segments.reduce((s, x) => s + x.done, 0) ?? 0;
      expect(checkpointed).toBeGreaterThan(body.length / 4);

      server.plan = () => undefined;
      const sentBefore = server.bytesSent();
      const rerun = spawn(process.execPath, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      rerun.stdout.on('data', (d) => (stdout += d));
      const code = await new Promise((r) => rerun.once('exit', r));
      expect(code).toBe(0);
      const line = JSON.parse(stdout.trim());
      expect(line).toMatchObject({
        ok: true,
        sha256: sha256(body),
        bytes: body.length,
        resumed: true,
      });
      expect(readFileSync(out).equals(body)).toBe(true);
      // The re-run fetched far less than the whole file.
      expect(server.bytesSent() - sentBefore).toBeLessThan(
        body.length - body.length / 4 + 512 * 1024,
      );
    });

    it('stops cleanly on SIGINT with exit 130, keeping the state, and the re-run resumes', async () => {
      const body = randomBytes(2 * 1024 * 1024);
      server = await startFileServer(pki, body);
      server.plan = () => ({ sliceBytes: 16 * 1024, delayMs: 20 });
      const caFile = join(dir, 'ca.pem');
      writeFileSync(caFile, pki.root.cert);
      const bundle = await buildCliBundle(dir);
      const out = join(dir, 'int.bin');
      const argv = [
        bundle,
        server.url,
        '-o',
        out,
        '--sha256',
        sha256(body),
        '--json',
        '--ca',
        caFile,
      ];
      const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      const deadline = Date.now() + 30_000;
      for (;;) {
        const state = await readResumeState(statePathOf(out));
        if ((state?.segments.reduce((s, x) => s + x.done, 0) ?? 0) > body.length / 5) break;
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error('child made no progress');
        await new Promise((r) => setTimeout(r, 20));
      }
      child.kill('SIGINT');
      const code = await new Promise((r) => child.once('exit', r));
      expect(code).toBe(130);
      expect(JSON.parse(stdout.trim())).toMatchObject({ ok: false, code: 'ERR_ABORTED' });
      expect(existsSync(out)).toBe(false);
      const saved =
        (await readResumeState(statePathOf(out)))?.segments.reduce((s, x) => s + x.done, 0) ?? 0;
      expect(saved).toBeGreaterThan(body.length / 5);

      server.plan = () => undefined;
      const c = captureIo();
      expect(await runDownloadCommand(argv.slice(1), c.io)).toBe(0);
      expect(JSON.parse(c.out().trim())).toMatchObject({
        ok: true,
        resumed: true,
        sha256: sha256(body),
      });
    });
  });
});
