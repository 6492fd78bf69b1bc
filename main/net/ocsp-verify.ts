/**
 * Verify an OCSP response (a staple or a responder answer) for one leaf certificate, per
 * RFC 6960 §3.2 and §4.2.2.2: parsed with pkijs/asn1js, never by hand.
 *
 * A response is accepted only if all hold:
 *  1. responseStatus is `successful` and the type is id-pkix-ocsp-basic;
 *  2. it is signed by the leaf's issuer, or by a delegated responder whose certificate the
 *     issuer signed, carrying id-kp-OCSPSigning and valid now (a response signed by any other
 *     key, even a trusted CA, proves nothing about this leaf);
 *  3. a SingleResponse's CertID matches the leaf (issuer name hash, issuer key hash, serial);
 *  4. thisUpdate is not in the future and nextUpdate not in the past, within `skewMs`.
 * Anything else throws OcspInvalidError; callers decide what that means via the policy.
 */
import { createHash, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { OcspInfo } from '../../preload/contract';
import { OcspInvalidError } from './ocsp-errors';
import {
  ensurePkijsEngine,
  hashNameOf,
  parseDer,
  spkiOf,
  toPkijsCertificate,
  verifySignature,
} from './ocsp-pkijs';

/** id-pkix-ocsp-basic. */
const OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1';
/** id-kp-OCSPSigning. */
const OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';

/** Default allowed clock skew for thisUpdate/nextUpdate. */
export const DEFAULT_OCSP_SKEW_MS = 5 * 60_000;
/** How old a response without nextUpdate may be before it counts as stale. */
export const DEFAULT_OCSP_MAX_AGE_MS = 7 * 86_400_000;

/** Inputs of verifyOcspResponse. */
export interface OcspVerifyInput {
  /** DER bytes of the OCSPResponse. */
  response: Uint8Array;
  leaf: X509Certificate;
  /** The leaf's issuer, taken from the verified chain. */
  issuer: X509Certificate;
  /** Where the response came from, recorded in the result. */
  source: 'staple' | 'responder';
  now?: number;
  skewMs?: number;
  maxAgeMs?: number;
}

/** A verified status: OcspInfo with status good, revoked or unknown. */
export type VerifiedOcsp = OcspInfo & { status: 'good' | 'revoked' | 'unknown' };

const RESPONSE_STATUS: Record<number, string> = {
  1: 'malformedRequest',
  2: 'internalError',
  3: 'tryLater',
  5: 'sigRequired',
  6: 'unauthorized',
};

/** Verify `input.response` for `input.leaf`; throws OcspInvalidError when it proves nothing. */
export async function verifyOcspResponse(input: OcspVerifyInput): Promise<VerifiedOcsp> {
  ensurePkijsEngine();
  const now = input.now ?? Date.now();
  const skew = input.skewMs ?? DEFAULT_OCSP_SKEW_MS;

  const ocsp = parseDer(input.response, (s) => new pkijs.OCSPResponse({ schema: s }));
  if (!ocsp) throw new OcspInvalidError('malformed response');
  const statusCode = ocsp.responseStatus.valueBlock.valueDec;
  if (statusCode !== 0) {
    throw new OcspInvalidError(`responder status ${RESPONSE_STATUS[statusCode] ?? statusCode}`);
  }
  if (!ocsp.responseBytes || ocsp.responseBytes.responseType !== OCSP_BASIC) {
    throw new OcspInvalidError('not a basic OCSP response');
  }
  const basic = parseDer(
    ocsp.responseBytes.response.valueBlock.valueHexView,
    (s) => new pkijs.BasicOCSPResponse({ schema: s }),
  );
  if (!basic) throw new OcspInvalidError('malformed basic response');

  const signerSpki = findSigner(basic, input.issuer, now);
  const signed = verifySignature(
    basic.signatureAlgorithm.algorithmId,
    basic.tbsResponseData.tbsView,
    basic.signature.valueBlock.valueHexView,
    signerSpki,
  );
  if (!signed) throw new OcspInvalidError('signature does not verify');

  const single = await findSingleResponse(basic, input.leaf, input.issuer);
  if (!single) throw new OcspInvalidError('no response for this certificate (CertID mismatch)');

  const thisUpdate = single.thisUpdate.getTime();
  if (thisUpdate > now + skew) throw new OcspInvalidError('thisUpdate is in the future');
  if (single.nextUpdate) {
    if (single.nextUpdate.getTime() < now - skew) throw new OcspInvalidError('response expired');
  } else if (thisUpdate < now - (input.maxAgeMs ?? DEFAULT_OCSP_MAX_AGE_MS)) {
    throw new OcspInvalidError('response too old (no nextUpdate)');
  }

  const base = {
    source: input.source,
    thisUpdate: single.thisUpdate.toISOString(),
    nextUpdate: single.nextUpdate ? single.nextUpdate.toISOString() : null,
    revokedAt: null,
    detail: null,
  };
  const status = single.certStatus as asn1js.BaseBlock;
  switch (status.idBlock.tagNumber) {
    case 0:
      return { ...base, status: 'good' };
    case 1:
      return { ...base, status: 'revoked', revokedAt: revocationTimeOf(status) };
    default:
      return { ...base, status: 'unknown', detail: 'the responder does not know this certificate' };
  }
}

/** The SPKI that must have signed `basic`: the issuer's, or an issuer-certified responder's. */
function findSigner(basic: pkijs.BasicOCSPResponse, issuer: X509Certificate, now: number): Buffer {
  const responderId: unknown = basic.tbsResponseData.responderID;
  const issuerPkijs = toPkijsCertificate(issuer);
  if (matchesResponderId(issuerPkijs, responderId)) return spkiOf(issuer);

  for (const candidate of basic.certs ?? []) {
    if (!matchesResponderId(candidate, responderId)) continue;
    const responder = new X509Certificate(Buffer.from(candidate.toSchema(true).toBER(false)));
    // A delegated responder is trusted only because the issuer said so, for this purpose.
    if (!responder.checkIssued(issuer) || !responder.verify(issuer.publicKey)) {
      throw new OcspInvalidError('responder certificate not issued by the certificate issuer');
    }
    if (!(responder.keyUsage ?? []).includes(OCSP_SIGNING)) {
      throw new OcspInvalidError('responder certificate lacks id-kp-OCSPSigning');
    }
    if (Date.parse(responder.validFrom) > now || Date.parse(responder.validTo) < now) {
      throw new OcspInvalidError('responder certificate is not valid now');
    }
    return spkiOf(responder);
  }
  throw new OcspInvalidError('signed by neither the issuer nor a responder it certified');
}

/** RFC 6960 ResponderID: byName (the subject) or byKey (SHA-1 of the subjectPublicKey bits). */
function matchesResponderId(cert: pkijs.Certificate, responderId: unknown): boolean {
  if (responderId instanceof pkijs.RelativeDistinguishedNames) {
    return cert.subject.isEqual(responderId);
  }
  if (responderId instanceof asn1js.OctetString) {
    const keyHash = createHash('sha1')
      .update(cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView)
      .digest();
    return keyHash.equals(Buffer.from(responderId.valueBlock.valueHexView));
  }
  return false;
}

async function findSingleResponse(
  basic: pkijs.BasicOCSPResponse,
  leaf: X509Certificate,
  issuer: X509Certificate,
): Promise<pkijs.SingleResponse | null> {
  const leafPkijs = toPkijsCertificate(leaf);
  const issuerPkijs = toPkijsCertificate(issuer);
  for (const single of basic.tbsResponseData.responses) {
    const hashName = hashNameOf(single.certID.hashAlgorithm.algorithmId);
    if (!hashName) continue;
    const expected = await pkijs.CertID.create(leafPkijs, {
      hashAlgorithm: hashName,
      issuerCertificate: issuerPkijs,
    });
    if (expected.isEqual(single.certID)) return single;
  }
  return null;
}

function revocationTimeOf(status: asn1js.BaseBlock): string | null {
  const inner = (status as asn1js.Constructed).valueBlock?.value?.[0];
  if (inner instanceof asn1js.GeneralizedTime) return inner.toDate().toISOString();
  return null;
}
