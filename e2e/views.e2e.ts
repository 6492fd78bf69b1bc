import { test, expect } from '@playwright/test';
import { startHostProcess, type HostProcess } from './support/host-process';
import { VIEW_NAMES, bridge, gotoView, openApp, snap } from './support/app-page';

let host: HostProcess;
test.beforeAll(async () => {
  host = await startHostProcess();
});
test.afterAll(async () => {
  await host?.stop();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`every view renders in the ${scheme} theme without page errors (screenshots)`, async ({
    page,
  }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.emulateMedia({ colorScheme: scheme });
    await openApp(page, host.url);
    await expect(page.locator('html')).toHaveAttribute('data-theme', scheme);
    for (const name of VIEW_NAMES) {
      await gotoView(page, name);
      await expect(
        page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name, exact: true }),
      ).toHaveAttribute('aria-current', 'page');
      await snap(page, `view-${name.toLowerCase()}-${scheme}.png`);
    }
    expect(errors).toEqual([]);
  });
}

test('the keyboard reaches and switches views, with a visible focus ring', async ({ page }) => {
  await openApp(page, host.url);
  const nav = page.getByRole('navigation', { name: 'Views' });
  await nav.getByRole('button', { name: 'Updates', exact: true }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(nav.getByRole('button', { name: 'Downloads', exact: true })).toBeFocused();
  await expect(page.getByRole('heading', { level: 2, name: 'Downloads' })).toBeVisible();
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
  expect(outline).toBe('solid');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('heading', { level: 2, name: 'Updates' })).toBeVisible();
});

test('settings: the theme setting overrides the system and is validated inline', async ({
  page,
}) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await openApp(page, host.url);
  await gotoView(page, 'Settings');
  await page.getByLabel('Theme').selectOption('dark');
  await page.getByRole('button', { name: /^Save 1 change$/ }).click();
  await expect(page.getByText('Saved 1 change.')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');

  const jobsAtOnce = page.getByLabel('Jobs at once');
  await jobsAtOnce.fill('11');
  await expect(page.getByText('Must be between 1–10.')).toBeVisible();
  await expect(jobsAtOnce).toHaveAttribute('aria-invalid', 'true');
  await page.getByRole('button', { name: /^Save/ }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'need attention' })).toBeVisible();
  const saved = await bridge<{ ok: true; value: { jobs: { maxActive: number } } }>(
    page,
    'getSettings',
  );
  expect(saved.value.jobs.maxActive).toBe(3);

  await page.getByLabel('Theme').selectOption('system');
  await jobsAtOnce.fill('3');
  await page.getByRole('button', { name: /^Save 1 change$/ }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
});

test('settings: the proxy password is write-only', async ({ page }) => {
  await openApp(page, host.url);
  await gotoView(page, 'Settings');
  await page.getByLabel('Proxy', { exact: true }).fill('http://proxy.test:3128');
  await page.getByLabel('Proxy user').fill('alice');
  await page.getByLabel('Proxy password').fill('correct horse battery');
  await page.getByRole('button', { name: /^Save 3 changes$/ }).click();
  await expect(page.getByText('Saved 3 changes.')).toBeVisible();
  await page.reload();
  await gotoView(page, 'Settings');
  await expect(page.getByLabel('Proxy password')).toHaveValue('');
  await expect(page.getByText('A password is stored. It is never shown')).toBeVisible();
  expect(await page.content()).not.toContain('correct horse battery');
  const view = await bridge<{ ok: true; value: unknown }>(page, 'getSettings');
  expect(JSON.stringify(view)).not.toContain('correct horse battery');
  // Clean up so other specs see default settings.
  await page.getByLabel('Forget the stored password').check();
  await page.getByLabel('Proxy', { exact: true }).fill('');
  await page.getByLabel('Proxy user').fill('');
  await page.getByRole('button', { name: /^Save/ }).click();
  await expect(page.getByText('No password stored.')).toBeVisible();
});

test('diagnostics shows the host-mode version line and live log lines', async ({ page }) => {
  await openApp(page, host.url);
  await gotoView(page, 'Diagnostics');
  await expect(page.getByTestId('version-line')).toContainText('— host mode (Node ');
  await expect(page.getByTestId('log-lines')).toContainText('core started in host mode');
  await page.getByRole('button', { name: 'Export diagnostics bundle' }).click();
  await expect(page.getByTestId('export-path')).toContainText('diagnostics');
});
