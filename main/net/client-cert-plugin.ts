/**
 * SecureClient plugin for mTLS: contributes the client certificate configured for a host
 * (first matching host pattern wins). Certificates are loaded and validated when the options
 * are set, so configuration mistakes surface at once with their own codes.
 */
import { loadClientCertificate, type LoadedClientCertificate } from './client-cert';
import type { SecureClientPlugin } from './extensions';
import { hostMatches, normalizeHostPattern } from './host-pattern';
import type { ClientCertificate } from './types';

/** Create the client-certificate plugin. */
export function createClientCertPlugin(): SecureClientPlugin {
  let key: string | null = null;
  let loaded: { pattern: string; cert: LoadedClientCertificate }[] = [];
  const ensure = (list: readonly ClientCertificate[]): void => {
    const k = JSON.stringify(list);
    if (k === key) return;
    loaded = list.map((c) => ({
      // '*' (the CLI's --cert) means every host, as curl's --cert does.
      pattern: c.host === '*' ? '*' : normalizeHostPattern(c.host),
      cert: loadClientCertificate(c),
    }));
    key = k;
  };
  return {
    name: 'client-certificates',
    onOptions: (options) => ensure(options.clientCertificates),
    tlsOptionsFor(target, options) {
      ensure(options.clientCertificates);
      const match = loaded.find((l) => l.pattern === '*' || hostMatches(l.pattern, target.host));
      return match ? { id: `client-cert:${match.cert.id}`, options: match.cert.options } : null;
    },
  };
}
