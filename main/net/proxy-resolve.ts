/**
 * Which proxy, if any, a request goes through: an explicit proxy URL, or HTTPS_PROXY /
 * HTTP_PROXY / ALL_PROXY from the environment minus NO_PROXY (curl's rules). Pure and
 * table-tested; it never touches the network.
 */
import { isIP } from 'node:net';
import { InvalidArgumentError, redactUrlCredentials } from '../errors';

/** Inputs of resolveProxy. */
export interface ProxySettings {
  /** Explicit proxy URL (wins over the environment; not subject to NO_PROXY). */
  proxy: string | null;
  /** Read the *_PROXY variables when no explicit proxy is set. */
  proxyFromEnv: boolean;
  /** The environment to read (process.env by default at the call site). */
  env?: Record<string, string | undefined>;
}

/** Parse and check a proxy URL: http or https, host required. Credentials are kept. */
export function parseProxyUrl(input: string): URL {
  let url: URL;
  try {
    // curl accepts "host:port" without a scheme and treats it as http://.
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(input) ? input : `http://${input}`);
  } catch {
    throw new InvalidArgumentError(`Invalid proxy URL: ${redactUrlCredentials(input)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError(
      `Unsupported proxy scheme ${url.protocol} in ${redactUrlCredentials(url.href)}: use http:// or https://`,
    );
  }
  if (!url.hostname) throw new InvalidArgumentError('The proxy URL has no host.');
  return url;
}

function envVar(env: Record<string, string | undefined>, name: string): string | undefined {
  // Lower case first, as curl does; empty means unset.
  const v = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return v && v.trim() ? v.trim() : undefined;
}

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, p) => (acc << 8) + Number(p), 0) >>> 0;
}

/** Whether NO_PROXY (comma/space separated) exempts `host`:`port`. */
export function noProxyMatches(noProxy: string, host: string, port: number): boolean {
  const h = host
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  for (const raw of noProxy.split(/[\s,]+/)) {
    let entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    // Optional :port suffix (not for bare IPv6 literals).
    const portMatch = /^(.*[^:]):(\d+)$/.exec(entry);
    if (portMatch && !(isIP(entry) === 6)) {
      if (Number(portMatch[2]) !== port) continue;
      entry = portMatch[1];
    }
    entry = entry.replace(/^\[|\]$/g, '');
    const cidr = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(entry);
    if (cidr && isIP(h) === 4) {
      const bits = Number(cidr[2]);
      const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
      if ((ipv4ToInt(h) & mask) === (ipv4ToInt(cidr[1]) & mask)) return true;
      continue;
    }
    if (isIP(entry)) {
      if (entry === h) return true;
      continue;
    }
    const domain = entry.replace(/^\*?\./, '');
    if (h === domain || h.endsWith('.' + domain)) return true;
  }
  return false;
}

/** The proxy URL for `target`, or null for a direct connection. */
export function resolveProxy(target: URL, settings: ProxySettings): URL | null {
  if (settings.proxy) return parseProxyUrl(settings.proxy);
  if (!settings.proxyFromEnv) return null;
  const env = settings.env ?? {};
  const scheme = target.protocol === 'http:' ? 'http' : 'https';
  const value = envVar(env, `${scheme}_proxy`) ?? envVar(env, 'all_proxy');
  if (!value) return null;
  const port = Number(target.port || (scheme === 'http' ? 80 : 443));
  const noProxy = envVar(env, 'no_proxy');
  if (noProxy && noProxyMatches(noProxy, target.hostname, port)) return null;
  return parseProxyUrl(value);
}
