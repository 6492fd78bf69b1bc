/**
 * Coded errors for revocation checking (OCSP staples, responder queries and CRLs).
 * None is ever retried: a revoked or unverifiable certificate is a trust failure.
 */
import { AppError } from '../errors';

/** The server certificate is revoked (by an OCSP staple, a responder answer or a CRL). */
export class CertRevokedError extends AppError {
  constructor(
    readonly host: string,
    readonly revokedAt: string | null,
    source: string,
  ) {
    super(
      'ERR_CERT_REVOKED',
      `The certificate of ${host} was revoked${revokedAt ? ` at ${revokedAt}` : ''} (${source}).`,
      { details: { host, revokedAt, source } },
    );
  }
}

/** Hard revocation mode is on and no revocation status could be obtained. */
export class OcspMissingError extends AppError {
  constructor(readonly host: string) {
    super(
      'ERR_OCSP_MISSING',
      `${host} sent no OCSP staple and revocation checking is set to hard.`,
      { details: { host } },
    );
  }
}

/** An OCSP response (or CRL) failed verification: bad signature, wrong CertID, stale, malformed. */
export class OcspInvalidError extends AppError {
  constructor(
    readonly reason: string,
    host?: string,
  ) {
    super('ERR_OCSP_INVALID', `Invalid OCSP response${host ? ` for ${host}` : ''}: ${reason}`, {
      details: { reason, ...(host ? { host } : {}) },
    });
  }
}
