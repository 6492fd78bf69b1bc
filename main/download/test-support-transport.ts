/**
 * Test-only stand-in for the secure client's `request` (TLS 1.3, verification against the
 * per-run CA, no pinning), used until tests run against SecureClient itself. It never
 * disables verification.
 */
import { request as httpsRequest, Agent, type RequestOptions } from 'node:https';
import type { DownloadTransport } from './download-job';
import type { SecureRequestInit, SecureResponse } from '../net/types';

/** A transport that trusts `caPem` only. */
export function createTestTransport(caPem: string): DownloadTransport & { close(): void } {
  const agent = new Agent({
    keepAlive: true,
    ca: caPem,
    minVersion: 'TLSv1.3',
    maxCachedSessions: 0,
  });
  return {
    request(url: string, init: SecureRequestInit = {}): Promise<SecureResponse> {
      return new Promise((resolve, reject) => {
        const options: RequestOptions & { highWaterMark?: number } = {
          method: init.method ?? 'GET',
          headers: init.headers,
          agent,
          signal: init.signal,
          highWaterMark: init.highWaterMark,
        };
        const req = httpsRequest(url, options);
        req.on('response', (res) => {
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            url,
            body: res,
            facts: {} as SecureResponse['facts'],
          });
        });
        req.on('error', reject);
        req.end();
      });
    },
    close: () => agent.destroy(),
  };
}
