/** Maps the user's settings onto the secure client's connection options. Pure. */
import type { ConnectionSecurityPatch } from '../net/options';
import type { StoredSettings } from './settings-service';

/** The proxy URL with credentials embedded for the proxy plugin; never logged (redacted everywhere). */
export function proxyUrlFromSettings(s: StoredSettings): string | null {
  const { url, username } = s.network.proxy;
  if (!url) return null;
  if (!username) return url;
  const u = new URL(url);
  u.username = username;
  u.password = s.secrets.proxyPassword ?? '';
  return u.toString();
}

/** Connection options derived from settings; applied at start and on every change. */
export function connectionPatchFromSettings(s: StoredSettings): ConnectionSecurityPatch {
  const n = s.network;
  return {
    caFiles: [...n.extraCaFiles],
    retry: {
      maxAttempts: n.retry.maxAttempts,
      initialDelayMs: n.retry.initialDelayMs,
      maxDelayMs: n.retry.maxDelayMs,
    },
    timeouts: {
      connect: n.timeouts.connectMs,
      tlsHandshake: n.timeouts.tlsMs,
      responseHeaders: n.timeouts.headersMs,
      idle: n.timeouts.idleMs,
      total: n.timeouts.totalMs,
      // No setting for `lowSpeed` (the IPC contract has none): the client's default minimum
      // rate (1 KiB/s over 60 s, see net/options.ts) applies and survives every settings patch.
    },
    pool: { maxSocketsPerHost: Math.max(s.jobs.perHostConnections, 1) },
    revocation: n.revocation,
    proxy: proxyUrlFromSettings(s),
    bandwidthLimit: n.bandwidthLimitBytesPerSec,
  };
}
