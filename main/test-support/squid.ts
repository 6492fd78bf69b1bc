/**
 * A real Debian squid on a loopback port with Basic authentication (basic_ncsa_auth and an
 * htpasswd file), started per test and killed on close. Everything (config, pid file, logs)
 * lives in a temp dir; no disk cache. When running as root, squid drops to its
 * `cache_effective_user`, so the temp dir is handed to that user. Test-only.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** A running squid. */
export interface Squid {
  port: number;
  /** `http://user:pass@127.0.0.1:port` (or without credentials). */
  url(user?: string, password?: string): string;
  /** The access log so far (for asserting what went through). */
  accessLog(): string;
  close(): Promise<void>;
}

/** Find basic_ncsa_auth (Debian puts it under /usr/lib/squid). */
function basicAuthHelper(): string {
  for (const p of ['/usr/lib/squid/basic_ncsa_auth', '/usr/lib/squid3/basic_ncsa_auth']) {
    if (existsSync(p)) return p;
  }
  const listed = execFileSync('dpkg', ['-L', 'squid'], { encoding: 'utf8' })
    .split('\n')
    .find((l) => l.endsWith('/basic_ncsa_auth'));
  if (!listed) throw new Error('basic_ncsa_auth not found; apt-get install squid');
  return listed;
}

async function freePort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => s.once('listening', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Start squid with Basic auth for `users` (name → password). */
export async function startSquid(users: Record<string, string>): Promise<Squid> {
  const dir = mkdtempSync(join(tmpdir(), 'llmrecon-squid-'));
  const passwd = join(dir, 'htpasswd');
  writeFileSync(passwd, '');
  for (const [user, password] of Object.entries(users)) {
    execFileSync('htpasswd', ['-b', passwd, user, password], { stdio: 'ignore' });
  }
  const port = await freePort();
  const isRoot = process.getuid?.() === 0;
  const runAs = isRoot ? 'proxy' : userInfo().username;
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', runAs], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', runAs], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
    chownSync(passwd, uid, gid);
  }
  const conf = join(dir, 'squid.conf');
  writeFileSync(
    conf,
    [
      `http_port 127.0.0.1:${port}`,
      `pid_filename ${join(dir, 'squid.pid')}`,
      `cache_log ${join(dir, 'cache.log')}`,
      `access_log stdio:${join(dir, 'access.log')}`,
      'cache_store_log none',
      `coredump_dir ${dir}`,
      'cache deny all',
      'cache_mem 8 MB',
      `cache_effective_user ${runAs}`,
      'shutdown_lifetime 0 seconds',
      'pinger_enable off',
      'netdb_filename none',
      'dns_nameservers 127.0.0.1',
      `auth_param basic program ${basicAuthHelper()} ${passwd}`,
      'auth_param basic children 2 startup=1 idle=1',
      'auth_param basic realm llmrecon-test',
      'acl authed proxy_auth REQUIRED',
      'http_access allow authed',
      'http_access deny all',
      '',
    ].join('\n'),
  );
  if (isRoot) chownSync(conf, Number(execFileSync('id', ['-u', runAs], { encoding: 'utf8' })), 0);

  const child: ChildProcess = spawn('squid', ['-N', '-f', conf], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  let exited = false;
  const exitPromise = new Promise<void>((r) => child.once('exit', () => ((exited = true), r())));

  const deadline = Date.now() + 30_000;
  while (!(await canConnect(port))) {
    if (exited || Date.now() > deadline) {
      child.kill('SIGKILL');
      const log = existsSync(join(dir, 'cache.log'))
        ? readFileSync(join(dir, 'cache.log'), 'utf8')
        : '';
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`squid did not start on ${port}:\n${output}\n${log.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    port,
    url: (user, password) =>
      user
        ? `http://${encodeURIComponent(user)}:${encodeURIComponent(password ?? '')}@127.0.0.1:${port}`
        : `http://127.0.0.1:${port}`,
    accessLog: () => {
      const f = join(dir, 'access.log');
      return existsSync(f) ? readFileSync(f, 'utf8') : '';
    },
    close: async () => {
      if (!exited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exitPromise;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
