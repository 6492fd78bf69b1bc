/**
 * Building blocks of the AIA fallback query (RFC 6960 §4.1 and appendix A.1): the responder
 * URLs named in a certificate, the DER OCSPRequest for a leaf, and the GET form of a request.
 */
import type { X509Certificate } from 'node:crypto';
import * as pkijs from 'pkijs';
import { ensurePkijsEngine, toPkijsCertificate } from './ocsp-pkijs';

/** id-pe-authorityInfoAccess. */
const AIA = '1.3.6.1.5.5.7.1.1';
/** id-ad-ocsp. */
const AD_OCSP = '1.3.6.1.5.5.7.48.1';

/** The http(s) OCSP responder URLs in `cert`'s Authority Information Access extension. */
export function ocspResponderUrls(cert: X509Certificate): string[] {
  const parsed = toPkijsCertificate(cert);
  const ext = parsed.extensions?.find((e) => e.extnID === AIA);
  const aia = ext?.parsedValue as pkijs.InfoAccess | undefined;
  if (!aia) return [];
  return aia.accessDescriptions
    .filter((d) => d.accessMethod === AD_OCSP && d.accessLocation.type === 6)
    .map((d) => String(d.accessLocation.value))
    .filter((u) => /^https?:\/\//i.test(u));
}

/** DER OCSPRequest for `leaf` (SHA-1 CertID, which every responder understands; no nonce). */
export async function buildOcspRequest(
  leaf: X509Certificate,
  issuer: X509Certificate,
): Promise<Buffer> {
  ensurePkijsEngine();
  const request = new pkijs.OCSPRequest();
  await request.createForCertificate(toPkijsCertificate(leaf), {
    hashAlgorithm: 'SHA-1',
    issuerCertificate: toPkijsCertificate(issuer),
  });
  return Buffer.from(request.toSchema(true).toBER(false));
}

/** The GET URL for `requestDer` at `responderUrl`: base URL + "/" + url-encoded base64. */
export function ocspGetUrl(responderUrl: string, requestDer: Uint8Array): string {
  const base = responderUrl.endsWith('/') ? responderUrl : responderUrl + '/';
  return base + encodeURIComponent(Buffer.from(requestDer).toString('base64'));
}
