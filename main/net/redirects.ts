/**
 * Pure redirect planning: https only, a hop limit, and the credential headers dropped when a
 * hop crosses origins (a redirect must not carry Authorization or Cookie to another server).
 */
import { SecureConnectionError } from './errors';

/** Statuses followed as redirects. */
export const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

/** The next hop of a redirect. */
export interface RedirectPlan {
  url: URL;
  headers: Record<string, string>;
  crossOrigin: boolean;
}

/**
 * Plan the hop from `from` to the Location `location`. `hops` counts redirects already taken.
 * Throws ERR_TOO_MANY_REDIRECTS past `maxRedirects` and ERR_REDIRECT_INSECURE for non-https.
 */
export function planRedirect(
  from: URL,
  location: string,
  headers: Record<string, string>,
  hops: number,
  maxRedirects: number,
): RedirectPlan {
  if (hops >= maxRedirects) {
    throw new SecureConnectionError(
      'ERR_TOO_MANY_REDIRECTS',
      `More than ${maxRedirects} redirects starting from ${from.origin}`,
      {
        details: { maxRedirects },
      },
    );
  }
  let url: URL;
  try {
    url = new URL(location, from);
  } catch {
    throw new SecureConnectionError(
      'ERR_REDIRECT_INSECURE',
      `Invalid redirect location "${location}" from ${from.origin}`,
    );
  }
  if (url.protocol !== 'https:') {
    throw new SecureConnectionError(
      'ERR_REDIRECT_INSECURE',
      `Refused redirect from ${from.origin} to non-https ${url.origin}`,
      {
        details: { from: from.origin, to: url.origin },
      },
    );
  }
  const crossOrigin = url.origin !== from.origin;
  const next: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (crossOrigin && CREDENTIAL_HEADERS.includes(k.toLowerCase())) continue;
    next[k] = v;
  }
  return { url, headers: next, crossOrigin };
}
