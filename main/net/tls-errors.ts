/**
 * Map Node/OpenSSL errors raised while connecting to our coded errors. Each trust failure gets
 * its own code; transport failures become retryable NetworkErrors carrying the system code.
 */
import { AppError } from '../errors';
import { NetworkError, SecureConnectionError } from './errors';
import { mapClientCertAlert } from './client-cert';

const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_CHAIN_TOO_LONG',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
]);

const TLS_VERSION =
  /PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|WRONG_VERSION_NUMBER|NO_PROTOCOLS_AVAILABLE|TLSV1_ALERT_PROTOCOL_VERSION|VERSION_TOO_LOW/;

/** System error codes that mean "the network failed", worth retrying. */
export const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'ECONNABORTED',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
]);

/** Turn whatever a connection attempt threw into a coded AppError. */
export function mapConnectionError(err: unknown, host: string, minTls: string): AppError {
  if (err instanceof AppError) return err;
  // Alerts about OUR client certificate (mTLS) get their own codes before the generic mapping.
  const clientCert = mapClientCertAlert(err, host);
  if (clientCert) return clientCert;
  const e = err as NodeJS.ErrnoException & { reason?: string };
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = e instanceof Error ? e.message : String(err);
  const details = { host, nodeCode: code || null };
  if (code === 'CERT_HAS_EXPIRED') {
    return new SecureConnectionError('ERR_CERT_EXPIRED', `The certificate of ${host} has expired`, {
      details,
      cause: err,
    });
  }
  if (code === 'CERT_NOT_YET_VALID') {
    return new SecureConnectionError(
      'ERR_CERT_NOT_YET_VALID',
      `The certificate of ${host} is not valid yet`,
      {
        details,
        cause: err,
      },
    );
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new SecureConnectionError(
      'ERR_CERT_HOSTNAME',
      `The certificate is not valid for ${host}: ${e.reason ?? message}`,
      {
        details,
        cause: err,
      },
    );
  }
  if (code === 'CERT_REVOKED') {
    return new SecureConnectionError('ERR_CERT_REVOKED', `The certificate of ${host} is revoked`, {
      details,
      cause: err,
    });
  }
  if (UNTRUSTED.has(code)) {
    return new SecureConnectionError(
      'ERR_CERT_UNTRUSTED',
      `The certificate of ${host} is not trusted (${code})`,
      {
        details,
        cause: err,
      },
    );
  }
  if (TLS_VERSION.test(code) || TLS_VERSION.test(message.toUpperCase().replace(/ /g, '_'))) {
    return new SecureConnectionError(
      'ERR_TLS_VERSION',
      `${host} cannot negotiate ${minTls.replace('v', ' ')} or newer (${code || message})`,
      { details, cause: err },
    );
  }
  if (NETWORK_CODES.has(code) || /socket hang up/i.test(message)) {
    return new NetworkError(
      `Network error talking to ${host}: ${message}`,
      code || 'ECONNRESET',
      err,
    );
  }
  if (code.startsWith('ERR_SSL_') || code === 'EPROTO' || code.startsWith('ERR_TLS_')) {
    return new SecureConnectionError('ERR_TLS', `TLS handshake with ${host} failed: ${message}`, {
      details,
      cause: err,
    });
  }
  if (code.startsWith('E'))
    return new NetworkError(`Network error talking to ${host}: ${message}`, code, err);
  return new SecureConnectionError('ERR_NETWORK', `Request to ${host} failed: ${message}`, {
    details,
    cause: err,
  });
}
