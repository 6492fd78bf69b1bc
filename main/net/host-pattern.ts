/**
 * Host patterns for pins: an exact host, `*.example.com` (exactly one extra label) or
 * `**.example.com` (one or more extra labels), as OkHttp's CertificatePinner defines them.
 */
import { InvalidArgumentError } from '../errors';

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Lower-case and validate a host pattern; throws ERR_INVALID_ARGUMENT when malformed. */
export function normalizeHostPattern(pattern: string): string {
  const p = pattern.trim().toLowerCase().replace(/\.$/, '');
  const rest = p.startsWith('**.') ? p.slice(3) : p.startsWith('*.') ? p.slice(2) : p;
  const isIpv4 = /^\d{1,3}(\.\d{1,3}){3}$/.test(rest);
  const isIpv6 = /^\[?[0-9a-f:]+\]?$/.test(rest) && rest.includes(':');
  if (rest !== p && (isIpv4 || isIpv6)) {
    throw new InvalidArgumentError(`Wildcards cannot apply to IP addresses: "${pattern}"`);
  }
  if (
    !isIpv4 &&
    !isIpv6 &&
    (rest.length === 0 || rest.length > 253 || !rest.split('.').every((l) => LABEL.test(l)))
  ) {
    throw new InvalidArgumentError(
      `Invalid host pattern "${pattern}": use host, *.domain or **.domain`,
    );
  }
  return isIpv6 ? rest.replace(/^\[|\]$/g, '') : p;
}

/** Canonical form of a URL host name for matching (lower case, no brackets, no trailing dot). */
export function canonicalHost(host: string): string {
  return host
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
}

/** Whether a normalised pattern matches a host. */
export function hostMatches(pattern: string, host: string): boolean {
  const h = canonicalHost(host);
  if (pattern.startsWith('**.')) {
    const suffix = pattern.slice(2); // ".example.com"
    return h.endsWith(suffix) && h.length > suffix.length;
  }
  if (pattern.startsWith('*.')) {
    const suffix = pattern.slice(1);
    if (!h.endsWith(suffix)) return false;
    const label = h.slice(0, h.length - suffix.length);
    return label.length > 0 && !label.includes('.');
  }
  return pattern === h;
}
