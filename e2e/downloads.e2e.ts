import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, type Locator, type Page } from '@playwright/test';
import { startHostProcess, type HostProcess } from './support/host-process';
import { prepareStateDir } from './support/host-state';
import { startTlsFileServer, testBytes, type TlsFileServer } from './support/tls-file-server';
import { bridge, gotoView, openApp, snap } from './support/app-page';

const MiB = 1024 * 1024;
let server: TlsFileServer;
let host: HostProcess;
let stateDir: string;
let downloadDir: string;
const sha: Record<string, string> = {};

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });
test.beforeAll(async () => {
  server = await startTlsFileServer();
  sha.small = server.addFile('/small.bin', testBytes(2 * MiB, 7));
  sha.big = server.addFile('/big.bin', testBytes(12 * MiB, 9));
  ({ stateDir, downloadDir } = prepareStateDir({
    caFile: server.caFile,
    settings: { jobs: { connectionsPerJob: 2 } },
  }));
  host = await startHostProcess({ stateDir });
});
test.afterAll(async () => {
  await host?.stop();
  await server?.close();
});

/** Add a download through the dialog; returns its row. */
async function addDownload(
  page: Page,
  fields: { url: string; dest: string; hash?: string; pins?: string },
): Promise<Locator> {
  await gotoView(page, 'Downloads');
  await page.getByRole('button', { name: 'Add download…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add download' });
  await dialog.getByLabel('URL').fill(fields.url);
  await dialog.getByLabel('Save as').fill(fields.dest);
  if (fields.hash) await dialog.getByLabel('Expected checksum (optional)').fill(fields.hash);
  if (fields.pins) await dialog.getByLabel('Pins (optional)').fill(fields.pins);
  await dialog.getByRole('button', { name: 'Add download' }).click();
  await expect(dialog).toBeHidden();
  const row = page.locator('li.job').filter({ hasText: fields.dest.split('/').pop()! });
  await expect(row).toHaveCount(1);
  return row;
}

const percentOf = async (row: Locator) =>
  Number((await row.getByRole('progressbar').getAttribute('aria-valuenow')) ?? '0');

const fileSha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

test('the dialog validates URL, checksum and pins inline before sending anything', async ({
  page,
}) => {
  await openApp(page, host.url);
  await gotoView(page, 'Downloads');
  await page.getByRole('button', { name: 'Add download…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add download' });
  await dialog.getByLabel('URL').fill('http://example.test/file.bin');
  await dialog.getByLabel('Expected checksum (optional)').fill('abc');
  await dialog.getByLabel('Pins (optional)').fill('sha256/short=');
  await dialog.getByRole('button', { name: 'Add download' }).click();
  await expect(dialog.getByText('Only https:// addresses are allowed.')).toBeVisible();
  await expect(dialog.getByText('neither sha256 (64) nor sha512 (128)')).toBeVisible();
  await expect(dialog.getByText(/is not a pin/)).toBeVisible();
  await expect(dialog.getByLabel('URL')).toHaveAttribute('aria-invalid', 'true');
  await snap(page, 'downloads-add-dialog-invalid.png');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  const jobs = await bridge<{ ok: true; value: unknown[] }>(page, 'listJobs');
  expect(jobs.value).toEqual([]);
});

test('start, pause, resume and complete a download; the hash on disk matches', async ({ page }) => {
  server.setRate(384 * 1024);
  await openApp(page, host.url);
  const dest = join(downloadDir, 'pause-resume.bin');
  const row = await addDownload(page, { url: server.url('/small.bin'), dest, hash: sha.small });
  await expect(row).toHaveAttribute('data-state', 'downloading');
  await expect.poll(() => percentOf(row)).toBeGreaterThan(5);
  await expect(row.getByRole('progressbar')).toHaveAttribute('aria-valuemax', '100');

  await row.getByRole('button', { name: 'Pause pause-resume.bin' }).click();
  await expect(row).toHaveAttribute('data-state', 'paused');
  await expect(row.getByTestId('job-state')).toHaveText('paused');
  // The last progress of the aborted transfer may land just after the state change.
  await page.waitForTimeout(500);
  const pausedAt = await percentOf(row);
  await page.waitForTimeout(1500);
  expect(await percentOf(row)).toBe(pausedAt);
  expect(pausedAt).toBeLessThan(100);

  server.setRate(0);
  await row.getByRole('button', { name: 'Resume pause-resume.bin' }).click();
  await expect(row).toHaveAttribute('data-state', 'completed', { timeout: 60_000 });
  await expect(row.getByTestId('job-state')).toHaveText('completed — hash verified');
  expect(fileSha(dest)).toBe(sha.small);
});

test('a host killed mid-download brings the job back interrupted, and it resumes to completion', async ({
  page,
}) => {
  server.setRate(256 * 1024);
  await openApp(page, host.url);
  const dest = join(downloadDir, 'crash.bin');
  const row = await addDownload(page, { url: server.url('/small.bin'), dest, hash: sha.small });
  await expect.poll(() => percentOf(row), { timeout: 30_000 }).toBeGreaterThan(15);

  await host.kill9();
  await expect(page.getByTestId('connection')).toHaveText('Disconnected');
  host = await startHostProcess({ stateDir });
  await openApp(page, host.url);
  await gotoView(page, 'Downloads');
  const back = page.locator('li.job').filter({ hasText: 'crash.bin' });
  await expect(back).toHaveAttribute('data-state', 'paused');
  await expect(back.getByTestId('job-state')).toContainText('interrupted');
  expect(await percentOf(back)).toBeGreaterThan(0);
  await snap(page, 'downloads-interrupted.png');

  server.setRate(0);
  await back.getByRole('button', { name: 'Resume crash.bin' }).click();
  await expect(back).toHaveAttribute('data-state', 'completed', { timeout: 60_000 });
  expect(fileSha(dest)).toBe(sha.small);
});

test('a wrong-pin download shows the mismatch with the chain pins; "copy pin" gives the right pin', async ({
  page,
}) => {
  server.setRate(0);
  await openApp(page, host.url);
  const wrong = server.pki.createCa('Rogue').intermediate.pin;
  const row = await addDownload(page, {
    url: server.url('/small.bin'),
    dest: join(downloadDir, 'pinned.bin'),
    pins: wrong,
  });
  await expect(row).toHaveAttribute('data-state', 'failed', { timeout: 30_000 });
  await expect(row.getByTestId('job-state')).toHaveText('pin mismatch');
  await snap(page, 'downloads-pin-mismatch.png');
  await row.getByRole('button', { name: 'Compare pins' }).click();

  await expect(page.getByRole('heading', { level: 2, name: 'Security' })).toBeVisible();
  const panel = page.getByTestId('pin-mismatch');
  await expect(panel.getByRole('list', { name: 'Expected pins' })).toContainText(wrong);
  await expect(panel.getByTestId('presented-0')).toContainText(server.pins.leaf);
  await panel
    .getByTestId('presented-0')
    .getByRole('button', { name: /^Copy pin/ })
    .click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(server.pins.leaf);
});

test('changing the bandwidth limit applies live and the speed follows it', async ({ page }) => {
  server.setRate(0);
  await openApp(page, host.url);
  await bridge(page, 'updateSettings', { network: { bandwidthLimitBytesPerSec: 1024 * 1024 } });
  const row = await addDownload(page, {
    url: server.url('/big.bin'),
    dest: join(downloadDir, 'throttled.bin'),
  });
  const speed = async () => Number(await row.getByTestId('job-speed').getAttribute('data-bps'));
  await expect.poll(speed, { timeout: 20_000 }).toBeGreaterThan(512 * 1024);
  expect(await speed()).toBeLessThan(1.6 * 1024 * 1024);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await snap(page, `downloads-live-${scheme}.png`);
  }

  await gotoView(page, 'Settings');
  await page.getByLabel('Bandwidth limit').fill('192');
  await page.getByRole('button', { name: /^Save 1 change$/ }).click();
  await expect(page.getByText('Saved 1 change.')).toBeVisible();
  await gotoView(page, 'Downloads');
  await expect.poll(speed, { timeout: 30_000, intervals: [1000] }).toBeLessThan(300 * 1024);
  await expect(row).toHaveAttribute('data-state', 'downloading');

  await row.getByRole('button', { name: 'Cancel throttled.bin' }).click();
  await expect(row).toHaveAttribute('data-state', 'canceled');
  await bridge(page, 'updateSettings', { network: { bandwidthLimitBytesPerSec: null } });
});
