/**
 * The trust store: Node's bundled roots (unless disabled) plus extra CA files/PEM text. It yields
 * the `ca` list for TLS and an index of trust anchors (by subject + SPKI) used to check that the
 * chain we pin against really ends at a trusted anchor.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { InvalidArgumentError } from '../errors';
import { spkiPin } from './cert-info';
import { normalizeDn } from './distinguished-name';

/** A built trust store. */
export interface TrustStore {
  /** PEM certificates for `tls.createSecureContext({ ca })`. */
  ca: string[];
  /** Anchors keyed by `subject|spkiPin`. */
  anchors: Map<string, X509Certificate>;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Split PEM text into single certificates; throws ERR_INVALID_ARGUMENT if there are none. */
export function splitPemCertificates(pem: string, source: string): string[] {
  const certs = pem.match(PEM_CERT) ?? [];
  if (certs.length === 0) throw new InvalidArgumentError(`No PEM certificate found in ${source}`);
  return certs;
}

/** Key under which a certificate is indexed as a trust anchor. */
export function anchorKey(cert: X509Certificate): string {
  return `${normalizeDn(cert.subject)}|${spkiPin(cert)}`;
}

let systemAnchors: Map<string, X509Certificate> | null = null;

function systemAnchorIndex(): Map<string, X509Certificate> {
  if (!systemAnchors) {
    systemAnchors = new Map();
    for (const pem of rootCertificates) {
      try {
        const c = new X509Certificate(pem);
        systemAnchors.set(anchorKey(c), c);
      } catch {
        /* a root Node ships but this OpenSSL cannot parse: it cannot verify anything either */
      }
    }
  }
  return systemAnchors;
}

/** Build the trust store from options; reads CA files synchronously (they are small). */
export function buildTrustStore(options: {
  caFiles: string[];
  ca: string[];
  useSystemRoots: boolean;
}): TrustStore {
  const extra: string[] = [];
  for (const file of options.caFiles) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new InvalidArgumentError(`Cannot read CA file ${file}: ${(err as Error).message}`);
    }
    extra.push(...splitPemCertificates(text, file));
  }
  for (const [i, pem] of options.ca.entries()) extra.push(...splitPemCertificates(pem, `ca[${i}]`));
  const anchors = new Map<string, X509Certificate>(
    options.useSystemRoots ? systemAnchorIndex() : [],
  );
  for (const pem of extra) {
    let c: X509Certificate;
    try {
      c = new X509Certificate(pem);
    } catch (err) {
      throw new InvalidArgumentError(`Invalid CA certificate: ${(err as Error).message}`);
    }
    anchors.set(anchorKey(c), c);
  }
  return { ca: [...(options.useSystemRoots ? rootCertificates : []), ...extra], anchors };
}
