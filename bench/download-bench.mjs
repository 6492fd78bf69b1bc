#!/usr/bin/env node
/**
 * Downloader benchmark (issue 5): a real Debian nginx with TLS 1.3 on loopback serves random
 * files from /dev/shm; we download into /dev/shm and compare with curl and aria2c.
 *
 *   node bench/download-bench.mjs [--rounds 3] [--skip-4g] [--only verified,segmented,rss,resume]
 *   node bench/download-bench.mjs --serve   (keep nginx up for profiling; prints port and paths)
 *
 * Not part of `npm test`. Needs nginx, curl, aria2c, openssl and GNU time (/usr/bin/time).
 * Prints a Markdown table (paste into docs/performance.md) and writes bench/results/*.json.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(
    'usage: node bench/download-bench.mjs [--rounds N] [--skip-4g] [--only verified,segmented,rss,resume] [--serve]',
  );
  process.exit(0);
}
const flag = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const ROUNDS = Number(flag('rounds', '3'));
const ONLY = new Set((flag('only', 'verified,segmented,rss,resume') ?? '').split(','));
const SKIP_4G = args.includes('--skip-4g');
const MiB = 1024 * 1024;
const work = join('/dev/shm', `um-bench-${process.pid}`);
const www = join(work, 'www');
const out = join(work, 'out');
mkdirSync(www, { recursive: true });
mkdirSync(out, { recursive: true });

function sh(cmd, argv, opts = {}) {
  return execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], ...opts }).toString();
}

// ---------------------------------------------------------------------------
// PKI, files, nginx
// ---------------------------------------------------------------------------
function makePki() {
  const d = join(work, 'pki');
  mkdirSync(d);
  sh('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=Bench Root',
    '-keyout',
    join(d, 'ca.key'),
    '-out',
    join(d, 'ca.pem'),
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign',
  ]);
  sh('openssl', [
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    join(d, 'leaf.key'),
    '-out',
    join(d, 'leaf.csr'),
  ]);
  writeFileSync(
    join(d, 'ext.cnf'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n',
  );
  sh('openssl', [
    'x509',
    '-req',
    '-in',
    join(d, 'leaf.csr'),
    '-CA',
    join(d, 'ca.pem'),
    '-CAkey',
    join(d, 'ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    join(d, 'ext.cnf'),
    '-out',
    join(d, 'leaf.pem'),
  ]);
  return { ca: join(d, 'ca.pem'), cert: join(d, 'leaf.pem'), key: join(d, 'leaf.key') };
}

async function makeFile(name, bytes) {
  const path = join(www, name);
  sh('dd', ['if=/dev/urandom', `of=${path}`, `bs=${MiB}`, `count=${bytes / MiB}`, 'status=none']);
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * MiB })) hash.update(chunk);
  return { name, path, bytes, sha256: hash.digest('hex') };
}

function startNginx(pki) {
  const port = 20000 + (process.pid % 20000);
  const conf = join(work, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes auto;
pid ${work}/nginx.pid;
error_log ${work}/error.log warn;
user root;
events { worker_connections 1024; }
http {
  log_format bench '$uri $status $bytes_sent "$http_range"';
  access_log ${work}/access.log bench;
  client_body_temp_path ${work}/tmp-body;
  proxy_temp_path ${work}/tmp-proxy;
  fastcgi_temp_path ${work}/tmp-fcgi;
  uwsgi_temp_path ${work}/tmp-uwsgi;
  scgi_temp_path ${work}/tmp-scgi;
  keepalive_requests 10000;
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_protocols TLSv1.3;
    ssl_certificate ${pki.cert};
    ssl_certificate_key ${pki.key};
    location /fast/ { alias ${www}/; }
    location /slow/ { alias ${www}/; limit_rate 25m; }
  }
}
`,
  );
  const proc = spawn('nginx', ['-c', conf, '-g', 'daemon off;'], { stdio: 'inherit' });
  return { port, proc, log: join(work, 'access.log') };
}

async function waitForPort(port) {
  for (let i = 0; i < 100; i++) {
    const r = spawnSync('curl', ['-sk', '-o', '/dev/null', `https://127.0.0.1:${port}/fast/`]);
    if (r.status === 0 || r.status === 22) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('nginx did not start');
}

// ---------------------------------------------------------------------------
// Our CLI, bundled
// ---------------------------------------------------------------------------
async function bundleCli() {
  const dir = join(work, 'build');
  mkdirSync(dir);
  const entry = join(dir, 'entry.ts');
  writeFileSync(
    entry,
    `import { runDownloadCommand } from ${JSON.stringify(join(root, 'main/cli/commands/download.ts'))};
const extraOptions = process.env.UM_BENCH_HASH ? { hashStrategy: process.env.UM_BENCH_HASH } : {};
runDownloadCommand(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, isTTY: false }, { extraOptions })
  .then((c) => { process.exitCode = c; });
`,
  );
  const outfile = join(dir, 'um-download.cjs');
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron'],
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}

// ---------------------------------------------------------------------------
// Runs
// ---------------------------------------------------------------------------
/** Run a command under GNU time; returns seconds (wall, measured here) and peak RSS in MiB. */
function timed(cmd, argv) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...argv], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr}\n${r.stdout}`);
  const lines = r.stderr.toString().trim().split('\n');
  const rssMiB = Number(lines[lines.length - 1]) / 1024;
  return { seconds, rssMiB, stdout: r.stdout.toString() };
}

function clean(path) {
  rmSync(path, { force: true });
  rmSync(`${path}.part`, { force: true });
  rmSync(`${path}.part.json`, { force: true });
  rmSync(`${path}.aria2`, { force: true });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function runners(ctx) {
  const { pki, port, cli } = ctx;
  const url = (loc, f) => `https://127.0.0.1:${port}/${loc}/${f.name}`;
  return {
    curl: (f, loc) => {
      const dest = join(out, `curl-${f.name}`);
      clean(dest);
      const r = timed('curl', ['-sS', '--fail', '--cacert', pki.ca, '-o', dest, url(loc, f)]);
      clean(dest);
      return r;
    },
    aria2: (f, loc, n) => {
      const dest = join(out, `aria2-${f.name}`);
      clean(dest);
      const r = timed('aria2c', [
        `-x${n}`,
        `-s${n}`,
        `--checksum=sha-256=${f.sha256}`,
        '--ca-certificate',
        pki.ca,
        '--allow-overwrite=true',
        '--auto-file-renaming=false',
        '--console-log-level=warn',
        '--summary-interval=0',
        '--download-result=hide',
        '-d',
        out,
        '-o',
        `aria2-${f.name}`,
        url(loc, f),
      ]);
      clean(dest);
      return r;
    },
    ours: (f, loc, n) => {
      const dest = join(out, `ours-${f.name}`);
      clean(dest);
      const r = timed(process.execPath, [
        cli,
        url(loc, f),
        '-o',
        dest,
        '--sha256',
        f.sha256,
        '--ca',
        pki.ca,
        '--connections',
        String(n),
        '--json',
      ]);
      const line = JSON.parse(r.stdout.trim());
      if (!line.ok || line.sha256 !== f.sha256) throw new Error(`ours failed: ${r.stdout}`);
      clean(dest);
      return r;
    },
  };
}

/** Alternate tools round by round; report the median time and peak RSS of each. */
function compare(label, entries) {
  const results = Object.fromEntries(entries.map(([name]) => [name, { seconds: [], rss: [] }]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? entries : [...entries].reverse();
    for (const [name, fn] of order) {
      const r = fn();
      results[name].seconds.push(r.seconds);
      results[name].rss.push(r.rssMiB);
      process.stderr.write(
        `  ${label} ${name}: ${r.seconds.toFixed(2)} s, ${r.rssMiB.toFixed(0)} MiB\n`,
      );
    }
  }
  return Object.fromEntries(
    Object.entries(results).map(([k, v]) => [
      k,
      { seconds: median(v.seconds), rssMiB: median(v.rss), all: v.seconds },
    ]),
  );
}

function bytesSentFor(log, name, fromLine) {
  const lines = readFileSync(log, 'utf8').trim().split('\n').slice(fromLine);
  let sum = 0;
  let requests = 0;
  for (const l of lines) {
    const [uri, , sent] = l.split(' ');
    if (uri.endsWith(`/${name}`)) {
      sum += Number(sent);
      requests++;
    }
  }
  return { sum, requests };
}

const lineCount = (log) => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').length - 1 : 0);

async function resumeRun(ctx, f) {
  const dest = join(out, `resume-${f.name}`);
  clean(dest);
  const url = `https://127.0.0.1:${ctx.port}/fast/${f.name}`;
  const argv = [ctx.cli, url, '-o', dest, '--sha256', f.sha256, '--ca', ctx.pki.ca, '--json'];
  const start = lineCount(ctx.log);
  const child = spawn(process.execPath, argv, { stdio: 'ignore' });
  for (;;) {
    try {
      const state = JSON.parse(readFileSync(`${dest}.part.json`, 'utf8'));
      if (state.segments.reduce((s, x) => s + x.done, 0) >= f.bytes / 2) break;
    } catch {
      /* not there yet, or mid-rename */
    }
    if (child.exitCode !== null) throw new Error('finished before the kill');
    await new Promise((r) => setTimeout(r, 2));
  }
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const atKill = JSON.parse(readFileSync(`${dest}.part.json`, 'utf8')).segments.reduce(
    (s, x) => s + x.done,
    0,
  );
  await new Promise((r) => setTimeout(r, 300)); // let nginx log the cut connections
  const mid = lineCount(ctx.log);
  const second = timed(process.execPath, argv);
  const line = JSON.parse(second.stdout.trim());
  if (!line.ok || line.sha256 !== f.sha256 || !line.resumed)
    throw new Error(`resume failed: ${second.stdout}`);
  await new Promise((r) => setTimeout(r, 300));
  const first = bytesSentFor(ctx.log, f.name, start);
  const rerun = bytesSentFor(ctx.log, f.name, mid);
  clean(dest);
  const firstRun = first.sum - rerun.sum;
  return {
    file: f.name,
    bytes: f.bytes,
    checkpointedAtKill: atKill,
    firstRunSent: firstRun,
    secondRunSent: rerun.sum,
    secondRunRequests: rerun.requests,
    totalSent: first.sum,
    refetched: first.sum - f.bytes,
    refetchedPercent: ((first.sum - f.bytes) / f.bytes) * 100,
    bytesTransferredReported: line.bytesTransferred,
  };
}

// ---------------------------------------------------------------------------
async function main() {
  const pki = makePki();
  process.stderr.write('making files…\n');
  const f256 = await makeFile('r256.bin', 256 * MiB);
  const f1g = await makeFile('r1g.bin', 1024 * MiB);
  const cli = await bundleCli();
  const nginx = startNginx(pki);
  const ctx = { pki, port: nginx.port, cli, log: nginx.log };
  if (args.includes('--serve')) {
    // Profiling aid: keep nginx up and print what a manual run needs.
    await waitForPort(nginx.port);
    process.stdout.write(
      JSON.stringify({ port: nginx.port, ca: pki.ca, cli, out, files: [f256, f1g] }) + '\n',
    );
    await new Promise((r) => process.once('SIGTERM', r));
    nginx.proc.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
    return;
  }
  const results = { node: process.version, date: new Date().toISOString(), rounds: ROUNDS };
  try {
    await waitForPort(nginx.port);
    const run = runners(ctx);
    if (ONLY.has('verified')) {
      process.stderr.write('verified 1 GiB…\n');
      results.verified = compare('1GiB', [
        ['curl -o', () => run.curl(f1g, 'fast')],
        ['aria2c -x1 --checksum', () => run.aria2(f1g, 'fast', 1)],
        ['ours -c1', () => run.ours(f1g, 'fast', 1)],
        ['ours -c1 main-thread streaming hash', () => run.ours(f1g, 'fast', 1, 'streaming')],
        ['ours -c1 final-pass hash', () => run.ours(f1g, 'fast', 1, 'final-pass')],
        ['ours -c4 (default)', () => run.ours(f1g, 'fast', 4)],
        ['ours -c4 final-pass hash', () => run.ours(f1g, 'fast', 4, 'final-pass')],
      ]);
    }
    if (ONLY.has('segmented')) {
      for (const n of [4, 8]) {
        process.stderr.write(`segmented 256 MiB x${n} at 25 MB/s per connection…\n`);
        results[`segmented${n}`] = compare(`x${n}`, [
          [`aria2c -x${n}`, () => run.aria2(f256, 'slow', n)],
          [`ours -c${n}`, () => run.ours(f256, 'slow', n)],
        ]);
      }
    }
    if (ONLY.has('rss')) {
      process.stderr.write('peak RSS…\n');
      const sizes = [f256, f1g];
      if (!SKIP_4G) sizes.push(await makeFile('r4g.bin', 4096 * MiB));
      results.rss = {};
      for (const f of sizes) {
        const r = run.ours(f, 'fast', 4);
        results.rss[f.name] = { rssMiB: r.rssMiB, seconds: r.seconds };
        process.stderr.write(
          `  ${f.name}: ${r.rssMiB.toFixed(0)} MiB in ${r.seconds.toFixed(2)} s\n`,
        );
        if (f.name === 'r4g.bin') rmSync(f.path, { force: true });
      }
    }
    if (ONLY.has('resume')) {
      process.stderr.write('resume after kill -9…\n');
      results.resume = [];
      for (let i = 0; i < ROUNDS; i++) {
        const r = await resumeRun(ctx, f1g);
        results.resume.push(r);
        process.stderr.write(
          `  re-fetched ${r.refetched} bytes (${r.refetchedPercent.toFixed(2)}%)\n`,
        );
      }
    }
  } finally {
    nginx.proc.kill('SIGTERM');
    await new Promise((r) => nginx.proc.once('exit', r));
  }
  mkdirSync(join(here, 'results'), { recursive: true });
  const file = join(here, 'results', `download-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2));
  process.stdout.write(JSON.stringify(results, null, 2) + '\n');
  process.stderr.write(`results: ${file}\n`);
  rmSync(work, { recursive: true, force: true });
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  try {
    execFileSync('sh', ['-c', `[ -f ${work}/nginx.pid ] && kill $(cat ${work}/nginx.pid)`]);
  } catch {
    /* already gone */
  }
  rmSync(work, { recursive: true, force: true });
  process.exit(1);
});
