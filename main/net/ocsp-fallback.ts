/**
 * The AIA fallback: when a server sends no staple, ask the OCSP responder named in its
 * certificate, verify the answer exactly like a staple, and cache it until nextUpdate.
 *
 * The transport is injectable. OCSP answers are signed by the issuer, so a plain-HTTP
 * responder (the common case) cannot forge one; the default fetcher therefore speaks http
 * and https with a short timeout and a size cap, and the secure client may pass its own.
 */
import type { X509Certificate } from 'node:crypto';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { OcspCache, ocspCacheKey } from './ocsp-cache';
import { OcspInvalidError } from './ocsp-errors';
import type { RevocationEvidence } from './ocsp-policy';
import { buildOcspRequest, ocspGetUrl, ocspResponderUrls } from './ocsp-request';
import { verifyOcspResponse } from './ocsp-verify';

/** Fetch `url` (GET) and resolve with the body; reject on any failure. */
export type OcspFetcher = (url: string, signal: AbortSignal) => Promise<Buffer>;

/** Options of OcspFallback. */
export interface OcspFallbackOptions {
  fetcher?: OcspFetcher;
  cache?: OcspCache;
  timeoutMs?: number;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

/** Default fetcher: node:http(s) GET, 200 only, at most 64 KiB. */
export const defaultOcspFetcher: OcspFetcher = (url, signal) =>
  new Promise((resolve, reject) => {
    const onResponse = (res: IncomingMessage) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`responder answered HTTP ${res.statusCode}`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) {
          res.destroy(new Error('responder answer too large'));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => resolve(Buffer.concat(chunks)));
      res.on('error', reject);
    };
    const req = url.startsWith('https:')
      ? httpsGet(url, { signal, agent: false }, onResponse)
      : httpGet(url, { signal, agent: false }, onResponse);
    req.on('error', reject);
  });

/** Queries AIA OCSP responders with caching. */
export class OcspFallback {
  readonly cache: OcspCache;
  private readonly fetcher: OcspFetcher;
  private readonly timeoutMs: number;

  constructor(options: OcspFallbackOptions = {}) {
    this.cache = options.cache ?? new OcspCache();
    this.fetcher = options.fetcher ?? defaultOcspFetcher;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Revocation evidence for `leaf` from its responder (or the cache). Never throws. */
  async query(leaf: X509Certificate, issuer: X509Certificate): Promise<RevocationEvidence> {
    const key = ocspCacheKey(leaf, issuer);
    const cached = this.cache.get(key);
    if (cached) return { kind: 'verified', info: cached };
    const urls = ocspResponderUrls(leaf);
    if (urls.length === 0)
      return { kind: 'absent', detail: 'no staple and no OCSP responder in AIA' };

    const request = await buildOcspRequest(leaf, issuer);
    let lastError = 'no responder answered';
    for (const url of urls) {
      let body: Buffer;
      try {
        body = await this.fetcher(ocspGetUrl(url, request), AbortSignal.timeout(this.timeoutMs));
      } catch (err) {
        lastError = `responder unreachable: ${err instanceof Error ? err.message : String(err)}`;
        continue;
      }
      try {
        const info = await verifyOcspResponse({
          response: body,
          leaf,
          issuer,
          source: 'responder',
        });
        this.cache.set(key, info);
        return { kind: 'verified', info };
      } catch (err) {
        if (err instanceof OcspInvalidError) {
          return { kind: 'invalid', error: err, source: 'responder' };
        }
        throw err;
      }
    }
    return { kind: 'absent', detail: lastError };
  }
}
