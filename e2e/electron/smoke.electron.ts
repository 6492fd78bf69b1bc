import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  _electron as electron,
  expect,
  test,
  type ElectronApplication,
  type Page,
} from '@playwright/test';
import { artifactPath } from '../support/artifacts';
// @ts-expect-error plain ESM script without types
import { electronBinary } from '../../scripts/electron-detect.mjs';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
let app: ElectronApplication;
let page: Page;
let profile: string;
const errors: string[] = [];

test.beforeAll(async () => {
  const executablePath = (electronBinary as (root: string) => string | null)(root);
  if (!executablePath) throw new Error('no Electron binary; run through npm run test:electron');
  profile = mkdtempSync(join(tmpdir(), 'um-electron-e2e-'));
  app = await electron.launch({
    executablePath,
    // Chromium refuses to start as root with its OS sandbox (containers, CI). The page's
    // `sandbox: true` renderer and everything else stay as shipped.
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), root],
    env: { ...process.env, LLMRECON_UM_USER_DATA_DIR: profile, ELECTRON_ENABLE_LOGGING: '1' },
  });
  page = await app.firstWindow();
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
});

test.afterAll(async () => {
  await app?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test('the Electron window shows the app shell connected to the live core', async () => {
  await expect(page.getByRole('heading', { name: 'LLMrecon Update Manager' })).toBeVisible();
  await expect(page.getByTestId('mode')).toHaveText(/^Electron \d+\./);
  await expect(page.getByTestId('connection')).toHaveText('Connected');
  expect(page.url()).toBe('app://bundle/index.html');
  await page.screenshot({ path: artifactPath('shell-electron.png'), fullPage: true });
  expect(errors).toEqual([]);
});

test('an invalid IPC argument from the page gets ERR_INVALID_ARGUMENT', async () => {
  const result = await page.evaluate(() =>
    (window as unknown as { updater: { pauseJob(a: unknown): Promise<unknown> } }).updater.pauseJob(
      {
        id: 12,
      },
    ),
  );
  expect(result).toMatchObject({ ok: false, error: { code: 'ERR_INVALID_ARGUMENT' } });
});

test('window.updater exposes named operations only, and the page has no Node or IPC', async () => {
  const shape = await page.evaluate(() => {
    const w = window as unknown as Record<string, unknown> & { updater: Record<string, unknown> };
    return {
      frozen: Object.isFrozen(w.updater),
      hasInvoke: 'invoke' in w.updater,
      listJobs: typeof w.updater.listJobs,
      require: typeof w.require,
      process: typeof w.process,
      ipcRenderer: typeof w.ipcRenderer,
    };
  });
  expect(shape).toEqual({
    frozen: true,
    hasInvoke: false,
    listJobs: 'function',
    require: 'undefined',
    process: 'undefined',
    ipcRenderer: 'undefined',
  });
});

test('permission requests from the page are denied', async () => {
  const state = await page.evaluate(async () => ({
    current: Notification.permission,
    requested: await Notification.requestPermission(),
    camera: await navigator.mediaDevices.getUserMedia({ video: true }).then(
      () => 'granted',
      (e: Error) => e.name,
    ),
  }));
  expect(state.current).toBe('denied');
  expect(state.requested).toBe('denied');
  expect(state.camera).not.toBe('granted');
});

test('window.open and navigation are denied, and the CSP blocks network access', async () => {
  const opened = await page.evaluate(() => window.open('https://example.com/') === null);
  expect(opened).toBe(true);
  expect(app.windows()).toHaveLength(1);
  const fetched = await page.evaluate(() =>
    fetch('app://bundle/index.html').then(
      () => 'loaded',
      () => 'blocked',
    ),
  );
  expect(fetched).toBe('blocked');
  await page.evaluate(() => {
    location.href = 'https://example.com/';
  });
  await page.waitForTimeout(500);
  expect(page.url()).toBe('app://bundle/index.html');
});
