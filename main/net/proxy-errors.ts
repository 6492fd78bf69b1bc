/**
 * Coded proxy failures. Messages name the proxy without its credentials.
 */
import { AppError, redactUrlCredentials } from '../errors';

/** The proxy wants (other) credentials: HTTP 407 on CONNECT. Never retried. */
export class ProxyAuthError extends AppError {
  constructor(proxy: URL) {
    const where = redactUrlCredentials(proxy.origin);
    super(
      'ERR_PROXY_AUTH',
      proxy.username
        ? `The proxy ${where} rejected the configured credentials (HTTP 407).`
        : `The proxy ${where} requires authentication (HTTP 407).`,
      { details: { proxy: where, status: 407 } },
    );
  }
}

/** Any other proxy failure: unreachable, refused CONNECT, bad gateway. */
export class ProxyError extends AppError {
  constructor(
    proxy: URL,
    reason: string,
    options: { status?: number; retryable?: boolean; cause?: unknown } = {},
  ) {
    const where = redactUrlCredentials(proxy.origin);
    super('ERR_PROXY', `Proxy ${where}: ${redactUrlCredentials(reason)}`, {
      retryable: options.retryable ?? false,
      cause: options.cause,
      details: { proxy: where, status: options.status ?? null },
    });
  }
}
