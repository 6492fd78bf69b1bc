/**
 * SecureClient plugin for proxies: routes a target through the explicit proxy or the one
 * from HTTPS_PROXY / NO_PROXY, as a CONNECT tunnel the client runs its own TLS over.
 */
import type { SecureClientPlugin } from './extensions';
import { createProxyDialer } from './proxy-dialer';
import { resolveProxy } from './proxy-resolve';
import { buildTrustStore } from './trust-store';
import type { ConnectionSecurityOptions } from './types';

/** Create the proxy plugin; `env` defaults to process.env (read at each connection). */
export function createProxyPlugin(
  env: Record<string, string | undefined> = process.env,
): SecureClientPlugin {
  let trustKey: string | null = null;
  let ca: string[] = [];
  // An https:// proxy is verified with the same roots and extra CAs as origins.
  const caFor = (o: ConnectionSecurityOptions): string[] => {
    const k = JSON.stringify([o.caFiles, o.ca, o.useSystemRoots]);
    if (k !== trustKey) {
      ca = buildTrustStore(o).ca;
      trustKey = k;
    }
    return ca;
  };
  return {
    name: 'proxy',
    // Validate an explicit proxy URL when configured.
    onOptions: (o) =>
      void resolveProxy(new URL('https://validate.invalid/'), {
        proxy: o.proxy,
        proxyFromEnv: false,
      }),
    dialerFor(target, options) {
      const proxy = resolveProxy(target.url, {
        proxy: options.proxy,
        proxyFromEnv: options.proxyFromEnv,
        env,
      });
      if (!proxy) return null;
      return createProxyDialer(proxy, target, {
        ca: caFor(options),
        minVersion: options.minTlsVersion,
      });
    },
  };
}
