/**
 * The renderer's origin. The bundle is served from a privileged custom scheme instead of
 * file:// (Electron security checklist item 18): file:// pages share one origin with every
 * local file, while `app://bundle/` is a single origin we control, so the CSP's 'self', the
 * sender check and the navigation guards can all name exactly one place.
 */

/** The custom scheme that serves the renderer bundle. */
export const APP_SCHEME = 'app';
/** The only host the scheme answers for. */
export const APP_HOST = 'bundle';
/** The URL the main window loads. */
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** True when `url` is a page of our own bundle (`app://bundle/…`); false for anything else. */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // Node's URL reports origin "null" for non-special schemes, so compare the parts.
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    parsed.username === '' &&
    parsed.password === ''
  );
}
