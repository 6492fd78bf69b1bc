/**
 * The revocation policy: turns what we learned about a connection's certificate (a verified
 * OCSP answer, nothing, or an unverifiable answer) into the recorded OcspInfo, or a refusal.
 * Pure; table-tested.
 *
 *   mode  | revoked | good | unknown          | absent           | invalid
 *   off   | (not checked: status 'off')
 *   soft  | fail    | ok   | ok, recorded     | ok, recorded     | ok, recorded as 'error'
 *   hard  | fail    | ok   | ERR_OCSP_INVALID | ERR_OCSP_MISSING | ERR_OCSP_INVALID
 *
 * Hard mode follows curl's --cert-status: only a verified "good" lets the connection through.
 */
import type { OcspInfo } from '../../preload/contract';
import type { RevocationMode } from './types';
import { CertRevokedError, OcspInvalidError, OcspMissingError } from './ocsp-errors';
import type { VerifiedOcsp } from './ocsp-verify';

/** What the revocation checks found for one connection. */
export type RevocationEvidence =
  | { kind: 'verified'; info: VerifiedOcsp }
  | { kind: 'absent'; detail?: string }
  | { kind: 'invalid'; error: OcspInvalidError; source: OcspInfo['source'] };

/** OcspInfo for a connection that was not checked. */
export function ocspOff(): OcspInfo {
  return {
    status: 'off',
    source: null,
    thisUpdate: null,
    nextUpdate: null,
    revokedAt: null,
    detail: null,
  };
}

/** Apply `mode` to `evidence` for `host`: the OcspInfo to record, or a thrown coded error. */
export function applyRevocationPolicy(
  mode: RevocationMode,
  host: string,
  evidence: RevocationEvidence,
): OcspInfo {
  if (mode === 'off') return ocspOff();
  if (evidence.kind === 'absent') {
    if (mode === 'hard') throw new OcspMissingError(host);
    return { ...ocspOff(), status: 'absent', detail: evidence.detail ?? 'no OCSP staple' };
  }
  if (evidence.kind === 'invalid') {
    if (mode === 'hard') throw new OcspInvalidError(evidence.error.reason, host);
    return {
      ...ocspOff(),
      status: 'error',
      source: evidence.source,
      detail: evidence.error.reason,
    };
  }
  const info = evidence.info;
  if (info.status === 'revoked') {
    throw new CertRevokedError(host, info.revokedAt, info.source ?? 'OCSP');
  }
  if (info.status === 'unknown' && mode === 'hard') {
    throw new OcspInvalidError(
      'the responder does not know this certificate (status unknown)',
      host,
    );
  }
  return info;
}
