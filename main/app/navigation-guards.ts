/**
 * Navigation and new-window guards for every WebContents. The renderer is a single-page
 * app: it never needs to navigate or open windows, so any attempt (a compromised page, a
 * link with target=_blank, a drag-and-drop of a URL) is refused. An https link is handed
 * to the OS browser instead; anything else is dropped and logged.
 */
import type { WebContents } from 'electron';

/** What the guards need besides the WebContents. */
export interface NavigationGuardOptions {
  /** Opens an https URL in the OS browser; rejects anything else. */
  openExternal: (url: string) => Promise<void>;
  log: (message: string) => void;
}

type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/** Install will-navigate / will-redirect / webview / window.open denial on one WebContents. */
export function setupNavigationGuards(contents: GuardedContents, opts: NavigationGuardOptions) {
  const external = (url: string, why: string) => {
    opts.log(`navigation: denied ${why} to ${url.slice(0, 200)}`);
    if (url.startsWith('https:')) opts.openExternal(url).catch(() => {});
  };
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    external(url, 'will-navigate');
  });
  contents.on('will-redirect', (event, url) => {
    event.preventDefault();
    opts.log(`navigation: denied redirect to ${url.slice(0, 200)}`);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    opts.log('navigation: denied a <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    external(url, 'window.open');
    return { action: 'deny' };
  });
}
