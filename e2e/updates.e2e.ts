import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { startHostProcess, type HostProcess } from './support/host-process';
import { prepareStateDir } from './support/host-state';
import { bridge, gotoView, openApp, snap } from './support/app-page';

let host: HostProcess;
let installRoot: string;
test.beforeAll(async () => {
  const prepared = prepareStateDir({});
  installRoot = prepared.installRoot;
  host = await startHostProcess({ stateDir: prepared.stateDir });
});
test.afterAll(async () => {
  await host?.stop();
});

const coreVersion = () =>
  execFileSync('sh', [join(installRoot, 'bin', 'llmrecon'), '--version'], {
    encoding: 'utf8',
  }).trim();

test('the demo feed is labelled, fresh, and lists every component', async ({ page }) => {
  await openApp(page, host.url);
  await gotoView(page, 'Updates');
  await expect(page.locator('.feed')).toContainText('Demo feed (local)');
  await expect(page.getByTestId('feed-freshness')).toContainText('Signed metadata valid until');
  for (const key of ['core', 'templates', 'module:openai'])
    await expect(page.getByTestId(`component-${key}`)).toBeVisible();
  const core = page.getByTestId('component-core');
  await expect(core.getByTestId('available-version')).toHaveText('1.1.0');
  await core.getByRole('button', { name: 'Release notes' }).click();
  await expect(core.locator('.release-notes')).not.toBeEmpty();
});

test('install an update from the demo feed and roll it back', async ({ page }) => {
  await openApp(page, host.url);
  // Start from the older release so that the update leaves a backup to roll back to.
  const first = await bridge<{ ok: boolean; value: { ok: boolean } }>(page, 'installUpdate', {
    component: 'core',
    version: '1.0.0',
  });
  expect(first).toMatchObject({ ok: true, value: { ok: true } });
  expect(coreVersion()).toBe('llmrecon version 1.0.0');

  await gotoView(page, 'Updates');
  const core = page.getByTestId('component-core');
  await expect(core.getByTestId('installed-version')).toHaveText('1.0.0');
  await core.getByRole('button', { name: 'Update LLMrecon core to 1.1.0' }).click();
  await expect(core.getByTestId('installed-version')).toHaveText('1.1.0', { timeout: 60_000 });
  await expect(core.getByTestId('last-result')).toContainText('Installed 1.1.0');
  expect(coreVersion()).toBe('llmrecon version 1.1.0');
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await snap(page, `updates-installed-${scheme}.png`);
  }

  await core.getByRole('button', { name: 'Roll LLMrecon core back to 1.0.0' }).click();
  await expect(core.getByTestId('installed-version')).toHaveText('1.0.0', { timeout: 60_000 });
  expect(coreVersion()).toBe('llmrecon version 1.0.0');
});

test("inspect the demo feed's certificate", async ({ page }) => {
  await openApp(page, host.url);
  const status = await bridge<{ ok: true; value: { feed: { url: string } } }>(
    page,
    'getUpdateStatus',
  );
  await gotoView(page, 'Security');
  await page.getByLabel('Host URL').fill(status.value.feed.url + '/');
  await page.getByRole('button', { name: 'Inspect', exact: true }).click();
  await expect(page.getByTestId('inspect-result')).toBeVisible();
  await expect(page.getByTestId('tls-version')).toHaveText('TLSv1.3');
  await expect(page.getByTestId('cert-0').getByTestId('spki-pin')).toHaveText(/^sha256\/.{43}=$/);
  await expect(page.getByTestId('cert-0')).toContainText('127.0.0.1');
  await snap(page, 'security-demo-feed.png');
});
