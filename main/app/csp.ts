/**
 * The Content-Security-Policy of the Electron renderer. The same policy is in the meta tag
 * of renderer/index.html; this header copy also covers responses a meta tag cannot (it
 * applies before any byte of the document is parsed, and `frame-ancestors` only works as a
 * header). The renderer talks to main only through the preload, so it needs no network.
 */
import type { Session } from 'electron';

/** The policy: nothing by default, then only the bundle's own scripts, styles and images. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** Response headers with our CSP replacing any CSP the response carried. */
export function withCspHeader(
  headers: Record<string, string | string[]> | undefined,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'content-security-policy') continue;
    out[name] = Array.isArray(value) ? value : [value];
  }
  out['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return out;
}

/** Install the session hook that puts our CSP on every response the session receives. */
export function setupCspHeaders(session: Pick<Session, 'webRequest'>): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCspHeader(details.responseHeaders) });
  });
}
