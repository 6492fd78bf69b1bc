/**
 * The revocation check of one connection, run after the chain and pins were verified:
 * user CRLs first, then the OCSP staple, then (optionally) the AIA responder, then the
 * per-host policy. Produces the ConnectionFacts `ocsp` record or throws a coded error.
 */
import type { X509Certificate } from 'node:crypto';
import type { OcspInfo } from '../../preload/contract';
import { CrlStore } from './crl-store';
import { CertRevokedError, OcspInvalidError } from './ocsp-errors';
import { OcspFallback } from './ocsp-fallback';
import { applyRevocationPolicy, ocspOff, type RevocationEvidence } from './ocsp-policy';
import type { RevocationMode } from './types';
import { verifyOcspResponse } from './ocsp-verify';

/** Inputs of one check. */
export interface RevocationCheckInput {
  host: string;
  mode: RevocationMode;
  /** The staple from the socket's 'OCSPResponse' event (null or empty = none). */
  staple: Buffer | null;
  /** Verified chain, leaf first; the issuer is chain[1]. */
  chain: readonly X509Certificate[];
  now?: number;
}

/** Options of RevocationChecker. */
export interface RevocationCheckerOptions {
  crlFiles?: readonly string[];
  /** Query AIA responders when there is no staple; pass an OcspFallback to share its cache. */
  fallback?: boolean | OcspFallback;
}

/** Runs CRL + OCSP checks under a per-host policy. */
export class RevocationChecker {
  readonly crls: CrlStore;
  readonly fallback: OcspFallback | null;

  constructor(options: RevocationCheckerOptions = {}) {
    this.crls = CrlStore.fromFiles(options.crlFiles ?? []);
    const fb = options.fallback ?? false;
    this.fallback = fb === true ? new OcspFallback() : fb === false ? null : fb;
  }

  /** Check `input`; returns what to record, or throws CertRevokedError / OcspMissingError / OcspInvalidError. */
  async check(input: RevocationCheckInput): Promise<OcspInfo> {
    const [leaf, issuer] = input.chain;
    // User-supplied CRLs are honoured whatever the OCSP mode: the user asked for them.
    const crl =
      leaf && issuer ? this.crls.check(leaf, issuer, input.now) : { kind: 'none' as const };
    if (crl.kind === 'revoked')
      throw new CertRevokedError(input.host, crl.revokedAt, `CRL ${crl.file}`);
    if (input.mode === 'off') return ocspOff();
    if (!leaf || !issuer) {
      // A self-signed or single-certificate chain has no issuer to vouch for a response.
      return applyRevocationPolicy(input.mode, input.host, {
        kind: 'absent',
        detail: 'the chain has no issuer',
      });
    }

    let evidence: RevocationEvidence = { kind: 'absent' };
    if (input.staple && input.staple.length > 0) {
      try {
        const info = await verifyOcspResponse({
          response: input.staple,
          leaf,
          issuer,
          source: 'staple',
          now: input.now,
        });
        evidence = { kind: 'verified', info };
      } catch (err) {
        if (!(err instanceof OcspInvalidError)) throw err;
        evidence = { kind: 'invalid', error: err, source: 'staple' };
      }
    } else if (this.fallback) {
      evidence = await this.fallback.query(leaf, issuer);
    }

    // A verified CRL that does not list the leaf is revocation evidence too.
    if (evidence.kind !== 'verified' && crl.kind === 'good') {
      evidence = {
        kind: 'verified',
        info: {
          status: 'good',
          source: 'crl',
          thisUpdate: crl.thisUpdate,
          nextUpdate: crl.nextUpdate,
          revokedAt: null,
          detail: `CRL ${crl.file}`,
        },
      };
    }
    if (evidence.kind === 'absent' && crl.kind === 'invalid') {
      evidence = { kind: 'invalid', error: new OcspInvalidError(crl.reason), source: 'crl' };
    }
    return applyRevocationPolicy(input.mode, input.host, evidence);
  }
}
