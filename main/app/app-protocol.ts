/**
 * Serves the renderer bundle on `app://bundle/`. The handler only ever reads files inside
 * the bundle folder (path traversal is refused with the same resolver host mode uses) and
 * answers with a fixed content type per extension, `nosniff` and the CSP header.
 */
import { readFile } from 'node:fs/promises';
import type { Protocol } from 'electron';
import { contentTypeFor, resolveStatic } from '../host/static-server';
import { APP_HOST, APP_SCHEME } from './app-url';
import { CONTENT_SECURITY_POLICY } from './csp';

/**
 * Declare the scheme before the app is ready (Electron requires it then). `standard` gives
 * it real origins and relative URLs, `secure` makes it a secure context, `corsEnabled` and
 * `supportFetchAPI` let Vite's `<script type="module" crossorigin>` load. It gets no
 * privilege to bypass CSP and no service workers.
 */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: {
        standard: true,
        secure: true,
        supportFetchAPI: true,
        corsEnabled: true,
        bypassCSP: false,
        allowServiceWorkers: false,
        stream: false,
      },
    },
  ]);
}

/** Answer one `app://` request from the bundle folder; exported for tests. */
export async function serveAppRequest(rendererDir: string, requestUrl: string): Promise<Response> {
  const headers = {
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  };
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return new Response('Bad request', { status: 400, headers });
  }
  if (url.host !== APP_HOST) return new Response('Unknown host', { status: 404, headers });
  const file = resolveStatic(rendererDir, url.pathname);
  if (!file) return new Response('Bad path', { status: 400, headers });
  try {
    const body = await readFile(file);
    const type = contentTypeFor(file);
    return new Response(body, { status: 200, headers: { ...headers, 'Content-Type': type } });
  } catch {
    return new Response('Not found', { status: 404, headers });
  }
}

/** Register the `app://` handler on a session's protocol object (after ready). */
export function setupAppProtocol(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(rendererDir, request.url));
}
