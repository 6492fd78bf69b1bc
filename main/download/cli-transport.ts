/** The secure client the `download` CLI command uses, built from its flags. */
import type { DownloadArgs } from '../cli/commands/download';
import { SecureClient } from '../net/secure-client';
import { createThrottlePlugin } from '../net/throttle-plugin';
import type { DownloadTransport } from './download-job';

/**
 * Build the CLI's SecureClient from the common network flags (`--ca`, `--min-tls`, timeouts,
 * retries, proxy, `--limit-rate` through the throttle plugin) with a pool wide enough for
 * `--connections`. Pins from `--pin` travel with each request.
 */
export async function createCliTransport(
  args: DownloadArgs,
): Promise<DownloadTransport & { close?: () => void }> {
  const net = args.netOptions;
  const client = new SecureClient({
    options: {
      ...net,
      pool: { ...net.pool, maxSocketsPerHost: Math.max(8, args.connections ?? 4) },
    },
    // The pacing stream costs a copy per chunk: only when a rate limit is asked for.
    plugins: net.bandwidthLimit ? [createThrottlePlugin()] : [],
    defaultHighWaterMark: 1024 * 1024,
  });
  return {
    request: (url, init) => client.request(url, init),
    close: () => void client.close(),
  };
}
