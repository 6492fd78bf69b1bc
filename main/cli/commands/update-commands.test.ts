import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../../test-support/pki';
import { coreArchive, moduleArchive, templatesArchive } from '../../update/test-fixtures';
import { runCheckCommand } from './check';
import { runInstallCommand } from './install';
import { runPublishCommand } from './publish';
import { runRollbackCommand } from './rollback';

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      text += String(chunk);
      cb();
    },
  });
  return {
    stream,
    get text() {
      return text;
    },
  };
}

async function run(fn: typeof runCheckCommand, argv: string[]) {
  const out = capture();
  const err = capture();
  const code = await fn(argv, { stdout: out.stream, stderr: err.stream });
  return { code, stdout: out.text, stderr: err.text };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

let pki: TestPki;
let dir: string;
let repo: string;
let nginx: ChildProcess;
let url: string;
let common: string[];

// The publisher CLI builds a real feed; real Debian nginx serves it as plain static files
// over TLS 1.3 on loopback; the check/install/rollback commands consume it.
beforeAll(async () => {
  pki = createTestPki();
  dir = await mkdtemp(join(tmpdir(), 'llmrecon-cli-feed-'));
  // nginx workers drop privileges: the served tree must be world-readable.
  await chmod(dir, 0o755);
  repo = join(dir, 'repo');
  expect((await run(runPublishCommand, ['init', repo, '--json'])).code).toBe(0);
  const files: [string, Buffer, string[]][] = [
    [
      'llmrecon-1.0.0.tar.gz',
      coreArchive('1.0.0'),
      [
        '--component',
        'core',
        '--version',
        '1.0.0',
        '--os',
        process.platform,
        '--arch',
        process.arch,
      ],
    ],
    [
      'llmrecon-1.1.0.tar.gz',
      coreArchive('1.1.0'),
      [
        '--component',
        'core',
        '--version',
        '1.1.0',
        '--os',
        process.platform,
        '--arch',
        process.arch,
        '--notes',
        'Faster scans',
      ],
    ],
    [
      'templates-1.0.0.tar.gz',
      templatesArchive('1.0.0'),
      ['--component', 'templates', '--version', '1.0.0'],
    ],
    [
      'openai-1.0.0.zip',
      await moduleArchive('openai', '1.0.0'),
      ['--component', 'module', '--id', 'openai', '--version', '1.0.0'],
    ],
  ];
  for (const [name, data, flags] of files) {
    await writeFile(join(dir, name), data);
    const r = await run(runPublishCommand, ['add', repo, join(dir, name), ...flags]);
    expect(r.code, r.stderr).toBe(0);
  }
  const port = await freePort();
  const prefix = join(dir, 'nginx');
  await mkdir(join(prefix, 'logs'), { recursive: true });
  await writeFile(
    join(prefix, 'nginx.conf'),
    `worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 64; }
http {
  access_log ${prefix}/logs/access.log;
  client_body_temp_path ${prefix}/tmp-body; proxy_temp_path ${prefix}/tmp-proxy; fastcgi_temp_path ${prefix}/tmp-fcgi;
  uwsgi_temp_path ${prefix}/tmp-uwsgi; scgi_temp_path ${prefix}/tmp-scgi;
  types { application/json json; }
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_protocols TLSv1.3;
    ssl_certificate ${join(dir, 'chain.pem')};
    ssl_certificate_key ${pki.leaf.keyFile};
    root ${repo}/site;
  }
}
`,
  );
  await writeFile(join(dir, 'chain.pem'), pki.chainPem);
  nginx = spawn(
    '/usr/sbin/nginx',
    ['-c', join(prefix, 'nginx.conf'), '-p', prefix, '-g', 'daemon off;'],
    { stdio: 'ignore' },
  );
  url = `https://127.0.0.1:${port}`;
  // Wait until nginx answers.
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(true));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(false)));
    });
    if (ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  common = [
    '--feed',
    url,
    '--root',
    join(repo, 'site', 'metadata', '1.root.json'),
    '--ca',
    pki.root.certFile,
    '--state',
    join(dir, 'state'),
    '--install-root',
    join(dir, 'LLMrecon'),
  ];
});

afterAll(async () => {
  nginx?.kill('SIGTERM');
  await new Promise((r) => (nginx && nginx.exitCode === null ? nginx.once('exit', r) : r(null)));
  pki.cleanup();
  if (process.env.KEEP_FEED)
    console.log(await readFile(join(dir, 'nginx', 'logs', 'error.log'), 'utf8'));
  await rm(dir, { recursive: true, force: true });
});

describe('update commands (publisher CLI + nginx)', () => {
  describe('runCheckCommand()', () => {
    it('lists available versions from the nginx-served feed', async () => {
      const r = await run(runCheckCommand, [...common, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const st = JSON.parse(r.stdout);
      expect(st.feed.state).toBe('ok');
      expect(
        st.components.map((c: { key: string; availableVersion: string }) => [
          c.key,
          c.availableVersion,
        ]),
      ).toEqual([
        ['core', '1.1.0'],
        ['templates', '1.0.0'],
        ['module:openai', '1.0.0'],
      ]);
      const text = await run(runCheckCommand, common);
      expect(text.stdout).toMatch(/core\s+-\s+1\.1\.0 \*\s+Faster scans/);
    });

    it('exits 1 with ERR_FEED_SIGNATURE when the trusted root is not the feed’s', async () => {
      const other = join(dir, 'other');
      await run(runPublishCommand, ['init', other]);
      const args = [...common];
      args[args.indexOf('--root') + 1] = join(other, 'site', 'metadata', '1.root.json');
      args[args.indexOf('--state') + 1] = join(dir, 'state-other');
      const r = await run(runCheckCommand, args);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('ERR_FEED_SIGNATURE');
    });

    it('exits 2 on a bad flag', async () => {
      expect((await run(runCheckCommand, ['--bogus'])).code).toBe(2);
    });
  });

  describe('runInstallCommand() and runRollbackCommand()', () => {
    it('installs, refuses a downgrade without the flag, and rolls back', async () => {
      let r = await run(runInstallCommand, ['core', '--version', '1.0.0', ...common]);
      expect(r.code, r.stderr).toBe(0);
      r = await run(runInstallCommand, ['all', ...common, '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).map((x: { componentKey: string }) => x.componentKey)).toEqual([
        'core',
        'templates',
        'module:openai',
      ]);
      r = await run(runInstallCommand, ['core', '--version', '1.0.0', ...common, '--json']);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout).error.code).toBe('ERR_DOWNGRADE');
      r = await run(runRollbackCommand, ['core', ...common, '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({
        ok: true,
        fromVersion: '1.1.0',
        toVersion: '1.0.0',
      });
      r = await run(runRollbackCommand, ['templates', ...common]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('ERR_NO_BACKUP');
      expect(
        await readFile(join(dir, 'LLMrecon', 'modules', 'openai', 'module.yaml'), 'utf8'),
      ).toContain('1.0.0');
    });
  });

  describe('runPublishCommand()', () => {
    it('signs, rotates, expires and refreshes; the feed keeps verifying except while expired', async () => {
      expect((await run(runPublishCommand, ['sign', repo])).code).toBe(0);
      expect((await run(runPublishCommand, ['rotate', repo, 'root'])).code).toBe(0);
      expect((await run(runPublishCommand, ['rotate', repo, 'snapshot', '--json'])).code).toBe(0);
      expect((await run(runCheckCommand, common)).code).toBe(0);
      expect((await run(runPublishCommand, ['expire', repo, 'timestamp'])).code).toBe(0);
      const frozen = await run(runCheckCommand, common);
      expect(frozen.code).toBe(1);
      expect(frozen.stderr).toMatch(/ERR_FEED_EXPIRED: feed metadata expired on/);
      expect((await run(runPublishCommand, ['refresh', repo])).code).toBe(0);
      expect((await run(runCheckCommand, common)).code).toBe(0);
    });

    it('rejects bad target metadata with exit 2', async () => {
      await writeFile(join(dir, 'x.tar.gz'), templatesArchive('1.0.0'));
      const r = await run(runPublishCommand, [
        'add',
        repo,
        join(dir, 'x.tar.gz'),
        '--component',
        'templates',
        '--version',
        'not-semver',
      ]);
      expect(r.code).toBe(2);
      expect((await run(runPublishCommand, ['rotate', repo, 'nobody'])).code).toBe(2);
    });
  });
});
