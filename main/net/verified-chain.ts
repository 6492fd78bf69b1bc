/**
 * Extract the chain that verification built from a connected TLS socket.
 *
 * `getPeerCertificate(true)` links each certificate to its issuer by name/key identifier and
 * completes the chain from the trust store: it is the verified path, not the raw list the
 * server sent. As defence in depth we re-check every link's signature and require the chain
 * to reach a trust anchor (matched by subject + key, so cross-signed anchors still work).
 * A resumed session has no peer chain at all: we return nothing and callers fail closed.
 */
import { X509Certificate } from 'node:crypto';
import type { DetailedPeerCertificate, PeerCertificate, TLSSocket } from 'node:tls';
import { SecureConnectionError } from './errors';
import { anchorKey, type TrustStore } from './trust-store';

/** Walk `getPeerCertificate(true)` into X509Certificates, leaf first. Empty if unavailable. */
export function peerChainOf(socket: TLSSocket): X509Certificate[] {
  const out: X509Certificate[] = [];
  let cur = socket.getPeerCertificate(true) as
    DetailedPeerCertificate | PeerCertificate | Record<string, never>;
  const seen = new Set<string>();
  while (cur && 'raw' in cur && cur.raw) {
    const x = new X509Certificate(cur.raw);
    if (seen.has(x.fingerprint256)) break; // the self-signed root points at itself
    seen.add(x.fingerprint256);
    out.push(x);
    cur = (cur as DetailedPeerCertificate).issuerCertificate;
  }
  return out;
}

/**
 * Check a walked chain: each certificate is signed by the next, and the chain reaches a trust
 * anchor. Returns the chain truncated at (and ending with) the anchor. Throws ERR_CERT_UNTRUSTED.
 */
export function verifyChainLinks(
  host: string,
  chain: X509Certificate[],
  trust: TrustStore,
): X509Certificate[] {
  if (chain.length === 0) {
    throw new SecureConnectionError(
      'ERR_TLS',
      `No verified certificate chain for ${host} (resumed session?)`,
    );
  }
  for (let i = 0; i < chain.length; i++) {
    const anchor = trust.anchors.get(anchorKey(chain[i]));
    if (anchor) return [...chain.slice(0, i), anchor];
    const next = chain[i + 1];
    if (!next || !chain[i].checkIssued(next) || !chain[i].verify(next.publicKey)) break;
  }
  throw new SecureConnectionError(
    'ERR_CERT_UNTRUSTED',
    `The certificate chain of ${host} does not lead to a trusted anchor`,
    {
      details: { host, chain: chain.map((c) => c.subject) },
    },
  );
}

/** The verified chain of a connected socket, leaf first, ending at its trust anchor. */
export function verifiedChainOf(
  host: string,
  socket: TLSSocket,
  trust: TrustStore,
): X509Certificate[] {
  if (!socket.authorized) {
    throw new SecureConnectionError(
      'ERR_CERT_UNTRUSTED',
      `The certificate of ${host} was not verified`,
      {
        details: { host, reason: String(socket.authorizationError ?? '') },
      },
    );
  }
  return verifyChainLinks(host, peerChainOf(socket), trust);
}
