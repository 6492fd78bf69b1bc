import { test, expect, type Page } from '@playwright/test';
import { startHostProcess, type HostProcess } from './support/host-process';
import { startTlsFileServer, type TlsFileServer } from './support/tls-file-server';
import { gotoView, openApp, snap } from './support/app-page';

let host: HostProcess;
let server: TlsFileServer;
test.use({ permissions: ['clipboard-read', 'clipboard-write'] });
test.beforeAll(async () => {
  server = await startTlsFileServer();
  host = await startHostProcess();
});
test.afterAll(async () => {
  await host?.stop();
  await server?.close();
});

/** Trust the per-run CA through the Settings view, as a user with an enterprise CA would. */
async function trustTestCa(page: Page) {
  await gotoView(page, 'Settings');
  const box = page.getByLabel('Extra trusted CA files (PEM, one path a line)');
  if ((await box.inputValue()) === server.caFile) return;
  await box.fill(server.caFile);
  await page.getByRole('button', { name: /^Save 1 change$/ }).click();
  await expect(page.getByText('Saved 1 change.')).toBeVisible();
}

async function inspect(page: Page, url: string) {
  await gotoView(page, 'Security');
  await page.getByLabel('Host URL').fill(url);
  await page.getByRole('button', { name: 'Inspect', exact: true }).click();
}

test('an untrusted host fails inspection with the error in words', async ({ page }) => {
  await openApp(page, host.url);
  await inspect(page, server.url('/'));
  const alert = page.getByRole('alert').filter({ hasText: 'Untrusted certificate' });
  await expect(alert).toBeVisible();
  await expect(alert).toHaveAttribute('data-code', 'ERR_CERT_UNTRUSTED');
});

test('inspecting a host shows every chain certificate, TLS facts and copyable pins', async ({
  page,
}) => {
  await openApp(page, host.url);
  await trustTestCa(page);
  await inspect(page, server.url('/'));
  const result = page.getByTestId('inspect-result');
  await expect(result).toBeVisible();
  await expect(page.getByTestId('tls-version')).toHaveText('TLSv1.3');
  await expect(page.getByTestId('cert-0').getByTestId('spki-pin')).toHaveText(server.pins.leaf);
  await expect(page.getByTestId('cert-1').getByTestId('spki-pin')).toHaveText(
    server.pins.intermediate,
  );
  const leaf = page.getByTestId('cert-0');
  await expect(leaf).toContainText('127.0.0.1');
  await expect(leaf).toContainText(/\d+ days left/);
  await expect(leaf).toContainText('SHA-256 fingerprint');
  await expect(page.getByTestId('pin-match')).toHaveText('127.0.0.1 is not pinned.');

  await leaf.getByRole('button', { name: 'Copy pin' }).click();
  await expect(leaf.getByRole('button', { name: 'Copy pin' })).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(server.pins.leaf);
  await snap(page, 'security-inspect.png');
});

test('"Pin this key" warns without a backup pin, pins, and the next inspection matches it', async ({
  page,
}) => {
  await openApp(page, host.url);
  await trustTestCa(page);
  await inspect(page, server.url('/'));
  const intermediate = page.getByTestId('cert-1');
  await intermediate.getByRole('button', { name: 'Pin this key…' }).click();
  await expect(intermediate.getByRole('alert')).toContainText('no backup pin');
  await intermediate.getByLabel('Label (optional)').fill('test intermediate');
  await intermediate.getByRole('button', { name: 'Pin', exact: true }).click();

  const pinned = page.getByTestId('pinned-127.0.0.1');
  await expect(pinned).toContainText(server.pins.intermediate);
  await expect(pinned).toContainText('no backup pin');

  await page.getByRole('button', { name: 'Inspect', exact: true }).click();
  await expect(page.getByTestId('pin-match')).toHaveText('The pin matched certificate 1 (CA).');
  await expect(page.getByTestId('cert-1')).toContainText('pin matched');
  await expect(pinned.getByTestId('last-check')).toContainText('last matched');

  // Clean up: remove the pin (a confirm warns that the host would be left without a backup).
  page.once('dialog', (d) => void d.accept());
  await pinned
    .getByRole('button', { name: `Remove pin ${server.pins.intermediate} from 127.0.0.1` })
    .click();
  await expect(page.getByTestId('pinned-127.0.0.1')).toHaveCount(0);
});

test('a wrong pin shows the mismatch with the presented chain, and "copy pin" gives the right pin', async ({
  page,
}) => {
  await openApp(page, host.url);
  await trustTestCa(page);
  await gotoView(page, 'Security');
  const wrong = server.pki.createCa('Attacker').intermediate.pin;
  const form = page.getByRole('form', { name: 'Add a pin' });
  await form.getByLabel('Host').fill('127.0.0.1');
  await form.getByLabel('Pin (sha256/…)').fill(wrong);
  await expect(form.getByText('no backup pin')).toBeVisible();
  await form.getByRole('button', { name: 'Add pin' }).click();
  await expect(page.getByTestId('pinned-127.0.0.1')).toContainText(wrong);

  await inspect(page, server.url('/'));
  const panel = page.getByTestId('pin-mismatch');
  await expect(panel).toBeVisible();
  await expect(
    page.getByRole('alert').filter({ hasText: 'Certificate pin mismatch' }),
  ).toBeVisible();
  await expect(panel.getByTestId('presented-0')).toContainText(server.pins.leaf);
  await expect(panel.getByTestId('presented-0')).toContainText('not pinned');
  await expect(panel.getByTestId('presented-1')).toContainText(server.pins.intermediate);
  await expect(panel.getByRole('list', { name: 'Expected pins' })).toContainText(wrong);
  await panel
    .getByTestId('presented-0')
    .getByRole('button', { name: /^Copy pin/ })
    .click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(server.pins.leaf);
  await snap(page, 'security-pin-mismatch.png');

  page.once('dialog', (d) => void d.accept());
  await page
    .getByTestId('pinned-127.0.0.1')
    .getByRole('button', { name: `Remove pin ${wrong} from 127.0.0.1` })
    .click();
  await expect(page.getByTestId('pinned-127.0.0.1')).toHaveCount(0);
});
