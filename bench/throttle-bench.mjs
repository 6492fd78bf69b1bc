#!/usr/bin/env node
/**
 * Bandwidth-limit accuracy over real loopback TLS 1.3: for each limit (1, 10, 50 MB/s; MB = 10^6
 * bytes) download an endless body through SecureClient with `bandwidthLimit` set and measure
 * the bytes received in a 5 s window. Passes when every rate is within ±10% of its limit.
 *
 *   node bench/throttle-bench.mjs [--window 5] [--json]
 *
 * The TypeScript sources are bundled with esbuild into a temp dir first (no ts runtime needed).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const windowS = Number(args[args.indexOf('--window') + 1] || 0) || 5;
const json = args.includes('--json');
const limits = [1e6, 10e6, 50e6];

const tmp = mkdtempSync(join(tmpdir(), 'throttle-bench-'));
try {
  const entry = join(tmp, 'entry.ts');
  writeFileSync(
    entry,
    `export { SecureClient } from ${JSON.stringify(join(root, 'main/net/secure-client.ts'))};\n` +
      `export { createTestPki } from ${JSON.stringify(join(root, 'main/test-support/pki.ts'))};\n`,
  );
  const out = join(tmp, 'bundle.mjs');
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    external: ['electron'],
    logLevel: 'error',
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
  const { SecureClient, createTestPki } = await import(pathToFileURL(out).href);

  const pki = createTestPki();
  const chunk = Buffer.alloc(1024 * 1024, 0x5a);
  // An endless body: the server writes as fast as the (throttled) client reads.
  const server = createServer(
    { cert: pki.chainPem, key: pki.leaf.key, minVersion: 'TLSv1.3' },
    (req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const pump = () => {
        while (res.write(chunk)) {
          if (res.destroyed) return;
        }
        res.once('drain', pump);
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
    },
  );
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `https://127.0.0.1:${server.address().port}/`;

  const results = [];
  for (const limit of limits) {
    const client = new SecureClient({
      options: { ca: [pki.root.cert], useSystemRoots: false, bandwidthLimit: limit },
      defaultHighWaterMark: 1024 * 1024,
    });
    const ac = new AbortController();
    const res = await client.request(url, { signal: ac.signal });
    let bytes = 0;
    let start = 0;
    const done = new Promise((resolve) => {
      res.body.on('data', (c) => {
        const now = performance.now();
        if (!start) start = now;
        if (now - start <= windowS * 1000) bytes += c.length;
        else resolve();
      });
      res.body.on('error', () => resolve());
    });
    await done;
    ac.abort();
    res.body.destroy();
    await client.close();
    const rate = bytes / windowS;
    const errorPct = ((rate - limit) / limit) * 100;
    results.push({
      limitMBps: limit / 1e6,
      measuredMBps: +(rate / 1e6).toFixed(3),
      errorPct: +errorPct.toFixed(2),
      pass: Math.abs(errorPct) <= 10,
    });
    if (!json)
      console.log(
        `limit ${String(limit / 1e6).padStart(3)} MB/s  measured ${(rate / 1e6).toFixed(3).padStart(7)} MB/s  error ${errorPct >= 0 ? '+' : ''}${errorPct.toFixed(2)}%  ${Math.abs(errorPct) <= 10 ? 'ok' : 'FAIL'}`,
      );
  }
  server.closeAllConnections();
  server.close();
  pki.cleanup();
  if (json) console.log(JSON.stringify({ windowS, results }, null, 2));
  process.exitCode = results.every((r) => r.pass) ? 0 : 1;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
