/**
 * A tuf-js Fetcher over our secure client, so pins, TLS 1.3, proxy settings and phase
 * timeouts cover the signed metadata exactly as they cover downloads.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Fetcher } from 'tuf-js';
import { DownloadHTTPError, DownloadLengthMismatchError } from 'tuf-js/dist/error';
import { AppError } from '../errors';
import type { SecureRequestInit, SecureResponse } from '../net/types';
import { FeedError } from './errors';

/** The part of the secure client the feed needs. */
export interface FeedHttpClient {
  request(url: string, init?: SecureRequestInit): Promise<SecureResponse>;
}

/** A fetcher that also remembers what it fetched and the last transport failure. */
export interface RecordingFetcher extends Fetcher {
  /** Bodies fetched in this session by URL (metadata only; small). */
  readonly fetched: Map<string, Buffer>;
  /** The last transport failure (network, TLS, pin, HTTP status other than 403/404). */
  lastTransportError: AppError | null;
}

/** Build a tuf-js Fetcher on the secure client. `pins` are extra pins for the feed host. */
export function createTufFetcher(
  client: FeedHttpClient,
  options: { pins?: string[]; signal?: AbortSignal } = {},
): RecordingFetcher {
  const fetched = new Map<string, Buffer>();
  const self: RecordingFetcher = {
    fetched,
    lastTransportError: null,
    async downloadBytes(url: string, maxLength: number): Promise<Buffer> {
      const body = await fetchCapped(url, maxLength);
      fetched.set(url, body);
      return body;
    },
    async downloadFile<T>(
      url: string,
      maxLength: number,
      handler: (file: string) => Promise<T>,
    ): Promise<T> {
      const body = await fetchCapped(url, maxLength);
      const dir = await mkdtemp(join(tmpdir(), 'llmrecon-tuf-'));
      const file = join(dir, 'download');
      try {
        await new Promise<void>((resolve, reject) => {
          const ws = createWriteStream(file, { mode: 0o600 });
          ws.on('error', reject);
          ws.end(body, () => resolve());
        });
        return await handler(file);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };

  // Reads at most maxLength bytes. An endless or oversized body is cut off the moment it
  // passes the cap (TUF "endless data" defence), not after it has been buffered.
  async function fetchCapped(url: string, maxLength: number): Promise<Buffer> {
    let res: SecureResponse;
    try {
      res = await client.request(url, {
        method: 'GET',
        pins: options.pins,
        signal: options.signal,
        headers: { accept: 'application/json, */*' },
      });
    } catch (err) {
      self.lastTransportError =
        err instanceof AppError
          ? err
          : new FeedError('ERR_FEED_UNREACHABLE', `feed unreachable: ${(err as Error).message}`, {
              cause: err,
            });
      throw self.lastTransportError;
    }
    if (res.status === 403 || res.status === 404) {
      res.body.resume();
      throw new DownloadHTTPError(`HTTP ${res.status} for ${url}`, res.status);
    }
    if (res.status < 200 || res.status > 299) {
      res.body.resume();
      self.lastTransportError = new FeedError(
        'ERR_FEED_UNREACHABLE',
        `feed answered HTTP ${res.status} for ${url}`,
        {
          details: { status: res.status },
        },
      );
      throw self.lastTransportError;
    }
    const chunks: Buffer[] = [];
    let total = 0;
    try {
      for await (const chunk of res.body) {
        const buf = chunk as Buffer;
        total += buf.length;
        if (total > maxLength) {
          res.body.destroy();
          throw new DownloadLengthMismatchError(
            `Max length reached: ${url} is longer than ${maxLength} bytes`,
          );
        }
        chunks.push(buf);
      }
    } catch (err) {
      if (err instanceof DownloadLengthMismatchError) throw err;
      self.lastTransportError =
        err instanceof AppError
          ? err
          : new FeedError(
              'ERR_FEED_UNREACHABLE',
              `feed transfer failed: ${(err as Error).message}`,
              { cause: err },
            );
      throw self.lastTransportError;
    }
    return Buffer.concat(chunks);
  }

  return self;
}
