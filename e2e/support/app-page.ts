/** Page helpers for e2e specs: open the app, switch view and theme, read the bridge. */
import { expect, type Page } from '@playwright/test';
import { artifactPath } from './artifacts';

/** The views in navigation order. */
export const VIEW_NAMES = ['Updates', 'Downloads', 'Security', 'Settings', 'Diagnostics'] as const;

/** Open the app and wait until the bridge is connected. */
export async function openApp(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.getByTestId('connection')).toHaveText('Connected');
}

/** Click a view in the navigation. */
export async function gotoView(page: Page, name: (typeof VIEW_NAMES)[number]): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Views' })
    .getByRole('button', { name, exact: true })
    .click();
  await expect(page.getByRole('heading', { level: 2, name, exact: true })).toBeVisible();
}

/** Call one bridge operation from the page (the same window.updater the UI uses). */
export async function bridge<T = unknown>(page: Page, method: string, args?: unknown): Promise<T> {
  return page.evaluate(
    async ([m, a]) => {
      const api = (
        window as unknown as { updater: Record<string, (x?: unknown) => Promise<unknown>> }
      ).updater;
      return api[m as string]!(a);
    },
    [method, args] as const,
  ) as Promise<T>;
}

/** Save a screenshot to e2e-artifacts/. */
export async function snap(page: Page, name: string): Promise<string> {
  const path = artifactPath(name);
  await page.screenshot({ path, fullPage: false });
  return path;
}
