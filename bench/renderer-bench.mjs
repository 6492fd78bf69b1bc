#!/usr/bin/env node
/* global window, document, requestAnimationFrame -- code inside page.evaluate runs in the browser */
// Renderer benchmark (not a test): 200 live jobs in host mode, driven through the real core,
// the real WebSocket bridge and the real renderer bundle in headless Chromium.
//
// Measures, over a steady-state window:
//   - IPC event messages per second reaching the page (all events, and jobs:batch alone);
//   - renderer frame work per coalesced update (store update + React render/commit + style and
//     layout), from the app's opt-in `um:jobs-frame` Performance API measures — p50/p95/max;
//   - requestAnimationFrame intervals (p50/p95) and long tasks (>50 ms) while the list scrolls.
// Targets: ≤ 10 batched messages/s and p95 frame work < 16 ms.
//
// Usage: node bench/renderer-bench.mjs [--jobs 200] [--seconds 10] [--rate 131072]
import { build } from 'esbuild';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const JOBS = arg('jobs', 200);
const SECONDS = arg('seconds', 10);
const RATE = arg('rate', 128 * 1024);
const FILE_SIZE = 16 * 1024 * 1024;

const pct = (xs, p) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const r2 = (n) => (n === null ? null : Math.round(n * 100) / 100);

execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), '--if-stale', '--quiet'], {
  stdio: 'inherit',
});

// The spec's TLS file server (TypeScript), bundled for this script.
const work = mkdtempSync(join(tmpdir(), 'um-rbench-'));
await build({
  entryPoints: [join(root, 'e2e/support/tls-file-server.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: join(work, 'server.mjs'),
  logLevel: 'error',
});
const { startTlsFileServer, testBytes } = await import(
  pathToFileURL(join(work, 'server.mjs')).href
);
const server = await startTlsFileServer();
server.setRate(RATE);
const data = testBytes(FILE_SIZE, 3);
for (let i = 0; i < JOBS; i++) server.addFile(`/f${i}.bin`, data);

const stateDir = join(work, 'state');
const downloadDir = join(work, 'downloads');
mkdirSync(stateDir, { recursive: true, mode: 0o700 });
mkdirSync(downloadDir, { recursive: true });
writeFileSync(
  join(stateDir, 'settings.json'),
  JSON.stringify({
    jobs: { downloadDir, maxActive: 10, connectionsPerJob: 1, perHostConnections: 64 },
    network: { extraCaFiles: [server.caFile] },
  }),
);

const host = spawn(process.execPath, [join(root, 'dist/main/host.cjs')], {
  env: { ...process.env, LLMRECON_UM_STATE_DIR: stateDir },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let out = '';
host.stdout.on('data', (d) => (out += d));
host.stderr.on('data', (d) => (out += d));
const url = await new Promise((resolve, reject) => {
  const t = setInterval(() => {
    const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(out);
    if (m) {
      clearInterval(t);
      resolve(m[1]);
    }
  }, 50);
  host.on('exit', (c) => reject(new Error(`host exited ${c}: ${out}`)));
});

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.addInitScript(() => {
    window.__UM_PERF__ = true;
  });
  const counts = { events: 0, batches: 0, jobsInBatches: 0 };
  page.on('websocket', (ws) =>
    ws.on('framereceived', (f) => {
      try {
        const msg = JSON.parse(String(f.payload));
        if (msg.t !== 'event') return;
        counts.events++;
        if (msg.event === 'jobs:batch') {
          counts.batches++;
          counts.jobsInBatches += msg.payload.jobs.length;
        }
      } catch {
        /* not JSON */
      }
    }),
  );
  await page.goto(url);
  await page.getByTestId('connection').filter({ hasText: 'Connected' }).waitFor();
  await page.getByRole('button', { name: 'Downloads', exact: true }).click();

  const added = await page.evaluate(
    async ({ jobs, base, dir }) => {
      let ok = 0;
      const errors = [];
      for (let i = 0; i < jobs; i++) {
        const r = await window.updater.addJob({
          url: `${base}/f${i}.bin`,
          dest: `${dir}/f${i}.bin`,
        });
        if (r.ok) ok++;
        else errors.push(r.error.code + ' ' + r.error.message);
      }
      return { ok, errors: errors.slice(0, 3) };
    },
    { jobs: JOBS, base: server.url('').replace(/\/$/, ''), dir: downloadDir },
  );
  if (added.ok !== JOBS) throw new Error(`only ${added.ok} jobs added: ${added.errors.join('; ')}`);
  await page.locator('li.job').first().waitFor();
  await page.waitForTimeout(3000); // warm-up: connections open, batches flow

  await page.evaluate(() => {
    performance.clearMeasures('um:jobs-frame');
    const w = window;
    w.__bench = { intervals: [], longTasks: 0, stop: false };
    let last = performance.now();
    const loop = (t) => {
      w.__bench.intervals.push(t - last);
      last = t;
      if (!w.__bench.stop) requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
    new PerformanceObserver((l) => (w.__bench.longTasks += l.getEntries().length)).observe({
      type: 'longtask',
    });
    // Scroll the list slowly so virtualisation swaps rows in and out during the window.
    const list = document.querySelector('.job-scroller');
    const timer = setInterval(() => {
      if (w.__bench.stop) return clearInterval(timer);
      list.scrollTop = (list.scrollTop + 48) % Math.max(1, list.scrollHeight - list.clientHeight);
    }, 100);
  });
  const start = { ...counts };
  await page.waitForTimeout(SECONDS * 1000);
  const end = { ...counts };
  const inPage = await page.evaluate(() => {
    window.__bench.stop = true;
    return {
      work: performance.getEntriesByName('um:jobs-frame').map((e) => e.duration),
      intervals: window.__bench.intervals.slice(1),
      longTasks: window.__bench.longTasks,
      rendered: document.querySelectorAll('li.job').length,
      live: [...document.querySelectorAll('li.job')].filter((li) =>
        ['downloading', 'connecting'].includes(li.dataset.state),
      ).length,
    };
  });
  const states = await page.evaluate(async () => {
    const r = await window.updater.listJobs();
    const c = {};
    for (const j of r.value) c[j.state] = (c[j.state] ?? 0) + 1;
    return c;
  });
  const result = {
    jobs: JOBS,
    jobStates: states,
    windowSeconds: SECONDS,
    eventMessagesPerSecond: r2((end.events - start.events) / SECONDS),
    jobBatchesPerSecond: r2((end.batches - start.batches) / SECONDS),
    jobsPerBatch: r2(
      (end.jobsInBatches - start.jobsInBatches) / Math.max(1, end.batches - start.batches),
    ),
    frameWorkMs: {
      samples: inPage.work.length,
      p50: r2(pct(inPage.work, 50)),
      p95: r2(pct(inPage.work, 95)),
      max: r2(Math.max(0, ...inPage.work)),
    },
    rafIntervalMs: {
      samples: inPage.intervals.length,
      p50: r2(pct(inPage.intervals, 50)),
      p95: r2(pct(inPage.intervals, 95)),
    },
    longTasks: inPage.longTasks,
    rowsInDom: inPage.rendered,
    targets: {
      batchesPerSecondAtMost10: (end.batches - start.batches) / SECONDS <= 10,
      frameWorkP95Under16ms: (pct(inPage.work, 95) ?? 0) < 16,
    },
  };
  console.log(JSON.stringify(result, null, 2));
  await page.evaluate(() => window.updater.pauseAll());
} finally {
  await browser.close();
  host.kill('SIGTERM');
  await new Promise((r) => host.once('exit', r));
  await server.close();
  rmSync(work, { recursive: true, force: true });
}
