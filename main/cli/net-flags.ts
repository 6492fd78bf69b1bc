/**
 * Common network flags of the CLI, parsed into a ConnectionSecurityOptions patch. Table
 * driven: another module adds flags with {@link registerNetFlag} (revocation, client
 * certificates, proxy, rate limit) and every command that uses this parser gains them.
 */
import { InvalidArgumentError } from '../errors';
import type { ConnectionSecurityPatch } from '../net/options';
import { normalizeTlsVersion } from '../net/options';
import { normalizePin } from '../net/pins';
import { parseProxyUrl } from '../net/proxy-resolve';
import { parseRate } from '../net/throttle-bucket';

/** What parsing produced. */
export interface NetFlagsResult {
  /** Options for the SecureClient. */
  options: ConnectionSecurityPatch;
  /** `--pin` values, normalised; they pin the host of the command's URL (`init.pins`). */
  pins: string[];
  /** Arguments that are not network flags, in order. */
  rest: string[];
}

/** One flag: its name, whether it takes a value, help text and how it applies. */
export interface NetFlagSpec {
  name: string;
  /** Placeholder for the value in help (`FILE`, `MS`); omit for boolean flags. */
  value?: string;
  help: string;
  apply(result: NetFlagsResult, value: string): void;
}

function integer(flag: string, v: string, min = 0): number {
  if (!/^\d+$/.test(v) || Number(v) < min)
    throw new InvalidArgumentError(`${flag} needs an integer ≥ ${min}, got "${v}"`);
  return Number(v);
}

/** Milliseconds from `1500`, `1500ms`, `30s` or `5m`. */
export function parseDuration(flag: string, v: string): number {
  const m = /^(\d+)(ms|s|m)?$/.exec(v.trim());
  if (!m)
    throw new InvalidArgumentError(`${flag} needs a duration such as 1500, 30s or 5m, got "${v}"`);
  const n = Number(m[1]);
  return m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n;
}

const timeoutFlag = (
  name: string,
  key: 'connect' | 'tlsHandshake' | 'responseHeaders' | 'idle' | 'total',
  help: string,
): NetFlagSpec => ({
  name,
  value: 'MS',
  help,
  apply: (r, v) => {
    r.options.timeouts = { ...r.options.timeouts, [key]: parseDuration(name, v) };
  },
});

const FLAGS: NetFlagSpec[] = [
  {
    name: '--pin',
    value: 'PIN',
    help: 'SPKI pin (sha256/BASE64) for the URL host; repeatable',
    apply: (r, v) => r.pins.push(normalizePin(v)),
  },
  {
    name: '--ca',
    value: 'FILE',
    help: 'extra trusted CA certificate(s), PEM; repeatable',
    apply: (r, v) => {
      r.options.caFiles = [...(r.options.caFiles ?? []), v];
    },
  },
  {
    name: '--min-tls',
    value: '1.2|1.3',
    help: 'minimum TLS version (default 1.3; never below 1.2)',
    apply: (r, v) => {
      r.options.minTlsVersion = normalizeTlsVersion(v);
    },
  },
  timeoutFlag('--timeout-connect', 'connect', 'TCP connect timeout'),
  timeoutFlag('--timeout-tls', 'tlsHandshake', 'TLS handshake timeout'),
  timeoutFlag('--timeout-headers', 'responseHeaders', 'time to wait for response headers'),
  timeoutFlag('--timeout-idle', 'idle', 'abort when no byte arrives for this long'),
  timeoutFlag('--timeout-total', 'total', 'overall limit (0 = none, the default)'),
  {
    name: '--retries',
    value: 'N',
    help: 'retries after the first attempt (default 4)',
    apply: (r, v) => {
      r.options.retry = { ...r.options.retry, maxAttempts: integer('--retries', v) + 1 };
    },
  },
  {
    name: '--max-redirects',
    value: 'N',
    help: 'redirects to follow (0–10, default 10)',
    apply: (r, v) => {
      r.options.maxRedirects = integer('--max-redirects', v);
    },
  }, // Transport extras (issue 4): revocation, client certificates, proxy, rate limit.
  {
    name: '--ocsp',
    value: 'off|soft|hard',
    help: 'OCSP revocation checking (default soft; hard = like curl --cert-status)',
    apply: (r, v) => {
      if (v !== 'off' && v !== 'soft' && v !== 'hard')
        throw new InvalidArgumentError(`--ocsp needs off, soft or hard, got "${v}"`);
      r.options.revocation = v;
    },
  },
  {
    name: '--crl',
    value: 'FILE',
    help: 'certificate revocation list (PEM or DER) to honour; repeatable',
    apply: (r, v) => {
      r.options.crlFiles = [...(r.options.crlFiles ?? []), v];
    },
  },
  clientCertFlag('--cert', 'FILE', 'client certificate (PEM) for mTLS', 'certFile'),
  clientCertFlag('--key', 'FILE', 'private key (PEM) of --cert', 'keyFile'),
  clientCertFlag('--pass', 'P', 'passphrase of --key or --pfx', 'passphrase'),
  clientCertFlag('--pfx', 'FILE', 'client certificate and key as PKCS#12', 'pfxFile'),
  {
    name: '--proxy',
    value: 'URL',
    help: 'http(s)://[user:pass@]host:port proxy (default: HTTPS_PROXY / NO_PROXY)',
    apply: (r, v) => {
      parseProxyUrl(v);
      r.options.proxy = v;
    },
  },
  {
    name: '--limit-rate',
    value: 'RATE',
    help: 'bandwidth limit in bytes/s, e.g. 500K or 10M (K = 1024)',
    apply: (r, v) => {
      try {
        r.options.bandwidthLimit = parseRate(v);
      } catch (err) {
        throw new InvalidArgumentError(`--limit-rate: ${(err as Error).message}`);
      }
    },
  },
];

/** --cert/--key/--pass/--pfx build one client certificate used for every host ('*'), as curl does. */
function clientCertFlag(
  name: string,
  value: string,
  help: string,
  key: 'certFile' | 'keyFile' | 'passphrase' | 'pfxFile',
): NetFlagSpec {
  return {
    name,
    value,
    help,
    apply: (r, v) => {
      const [first, ...others] = r.options.clientCertificates ?? [];
      r.options.clientCertificates = [{ ...(first ?? { host: '*' }), [key]: v }, ...others];
    },
  };
}

/** Add a network flag (used by revocation, client-certificate, proxy and rate-limit support). */
export function registerNetFlag(spec: NetFlagSpec): void {
  const i = FLAGS.findIndex((f) => f.name === spec.name);
  if (i >= 0) FLAGS[i] = spec;
  else FLAGS.push(spec);
}

/** The registered flags, for help output. */
export function netFlagSpecs(): readonly NetFlagSpec[] {
  return FLAGS;
}

/** Help lines for the network flags. */
export function netFlagsHelp(): string {
  return FLAGS.map(
    (f) => `  ${`${f.name}${f.value ? ` ${f.value}` : ''}`.padEnd(26)}${f.help}`,
  ).join('\n');
}

/**
 * Parse network flags out of argv (`--flag value` or `--flag=value`). Unknown arguments go
 * to `rest`. Throws ERR_INVALID_ARGUMENT / ERR_INVALID_PIN on bad values.
 */
export function parseNetFlags(argv: string[]): NetFlagsResult {
  const result: NetFlagsResult = { options: {}, pins: [], rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const spec = FLAGS.find((f) => f.name === name);
    if (!spec) {
      result.rest.push(arg);
      continue;
    }
    if (!spec.value) {
      spec.apply(result, '');
      continue;
    }
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else value = argv[++i];
    if (value === undefined)
      throw new InvalidArgumentError(`${name} needs a value (${spec.value})`);
    spec.apply(result, value);
  }
  return result;
}
