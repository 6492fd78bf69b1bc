/**
 * Map what tuf-js throws onto our coded feed errors.
 *
 * tuf-js wraps snapshot and targets failures in a RuntimeError whose message embeds the
 * original error, and its error classes all carry the name "Error", so the class alone
 * is not enough: we look at the class first, then the transport failure the fetcher
 * recorded, then the well-known messages of the TUF client workflow.
 */
import { AppError } from '../errors';
import { FeedError } from './errors';

const SECURITY_CODES = /^ERR_(PIN|CERT|TLS|OCSP|CLIENT_CERT|PROXY|INSECURE|REDIRECT)/;

/** Turn any refresh failure into a coded error. `fetched` maps URLs to the bytes received. */
export function classifyFeedError(
  err: unknown,
  transportError: AppError | null,
  fetched: Map<string, Buffer>,
): AppError {
  if (err instanceof FeedError) return err;
  const text =
    err instanceof Error
      ? `${err.message} ${String((err as Error & { cause?: unknown }).cause ?? '')}`
      : String(err);

  if (transportError && (err === transportError || text.includes(transportError.message))) {
    if (transportError instanceof FeedError) return transportError;
    // Pin, certificate and TLS failures keep their own code: the user must see that the
    // feed's identity was wrong, not just that it was "unreachable".
    if (SECURITY_CODES.test(transportError.code)) return transportError;
    return new FeedError('ERR_FEED_UNREACHABLE', `feed unreachable: ${transportError.message}`, {
      cause: transportError,
      details: { transportCode: transportError.code },
    });
  }
  if (err instanceof AppError) return err;

  const expired = /(root|timestamp|snapshot|targets)\.json is expired/.exec(text);
  if (expired) {
    const role = expired[1];
    const date = expiryOf(role, fetched);
    return new FeedError(
      'ERR_FEED_EXPIRED',
      `feed metadata expired on ${date ?? 'an unknown date'} (${role}.json)`,
      {
        cause: err,
        details: { role, expires: date },
      },
    );
  }
  if (
    /was signed by \d+\/\d+ keys|Unsupported (key|RSA|algorithm)|Invalid key format|signature/i.test(
      text,
    )
  ) {
    return new FeedError(
      'ERR_FEED_SIGNATURE',
      `feed metadata is not signed by the trusted keys: ${firstLine(text)}`,
      { cause: err },
    );
  }
  if (/is less than current version|Expected version \d+, got \d+/.test(text)) {
    return new FeedError(
      'ERR_FEED_ROLLBACK',
      `feed offered older metadata than already trusted: ${firstLine(text)}`,
      { cause: err },
    );
  }
  if (
    /Max length reached|Expected length|Expected hash|does not match|doesn't match|Missing file/.test(
      text,
    )
  ) {
    return new FeedError(
      'ERR_FEED_INVALID',
      `feed metadata does not match what the signed metadata declares: ${firstLine(text)}`,
      {
        cause: err,
      },
    );
  }
  if (/HTTP (403|404)/.test(text)) {
    return new FeedError('ERR_FEED_UNREACHABLE', `feed file missing: ${firstLine(text)}`, {
      cause: err,
    });
  }
  return new FeedError('ERR_FEED_INVALID', `feed metadata is invalid: ${firstLine(text)}`, {
    cause: err,
  });
}

function firstLine(s: string): string {
  return s
    .split('\n')[0]
    .replace(/^Unable to load (snapshot metadata|targets) error (Error: )?/, '')
    .slice(0, 300);
}

// The expired role's date, from the newest copy of it we received in this session.
function expiryOf(role: string, fetched: Map<string, Buffer>): string | null {
  let found: string | null = null;
  for (const [url, body] of fetched) {
    const name = url.slice(url.lastIndexOf('/') + 1);
    if (name !== `${role}.json` && !new RegExp(`^\\d+\\.${role}\\.json$`).test(name)) continue;
    try {
      const expires = (JSON.parse(body.toString('utf8')) as { signed?: { expires?: unknown } })
        .signed?.expires;
      if (typeof expires === 'string') found = expires;
    } catch {
      // not JSON: ignore
    }
  }
  return found;
}
