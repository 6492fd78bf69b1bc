import { test, expect } from '@playwright/test';
import { startHostProcess, type HostProcess } from './support/host-process';
import { artifactPath } from './support/artifacts';

let host: HostProcess;
test.beforeAll(async () => {
  host = await startHostProcess();
});
test.afterAll(async () => {
  await host?.stop();
});

test('host mode serves the app shell connected to the live core', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'LLMrecon Update Manager' })).toBeVisible();
  await expect(page.getByTestId('mode')).toHaveText('Host mode');
  await expect(page.getByTestId('connection')).toHaveText('Connected');
  // The token leaves the address bar as soon as the bridge has read it.
  expect(page.url()).not.toContain('token=');
  await page.screenshot({ path: artifactPath('shell-host-mode.png'), fullPage: true });
  expect(errors).toEqual([]);
});

test('an invalid IPC argument from the page gets ERR_INVALID_ARGUMENT', async ({ page }) => {
  await page.goto(host.url);
  await expect(page.getByTestId('connection')).toHaveText('Connected');
  const result = await page.evaluate(() =>
    (window as unknown as { updater: { pauseJob(a: unknown): Promise<unknown> } }).updater.pauseJob(
      { id: 12 },
    ),
  );
  expect(result).toMatchObject({ ok: false, error: { code: 'ERR_INVALID_ARGUMENT' } });
});

test('window.updater exposes named operations only, frozen', async ({ page }) => {
  await page.goto(host.url);
  const shape = await page.evaluate(() => {
    const api = (window as unknown as { updater: Record<string, unknown> }).updater;
    return {
      frozen: Object.isFrozen(api),
      hasInvoke: 'invoke' in api,
      hasListJobs: typeof api.listJobs,
    };
  });
  expect(shape).toEqual({ frozen: true, hasInvoke: false, hasListJobs: 'function' });
});

test('a page from another origin cannot reach the IPC socket even with the token', async ({
  page,
}) => {
  await page.goto('about:blank');
  const outcome = await page.evaluate(
    ([port, token]) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/ipc?token=${token}`);
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('refused');
      }),
    [host.port, host.token] as const,
  );
  expect(outcome).toBe('refused');
});
