/** The secure client the `download` CLI command uses, built from its flags. */
import type { DownloadArgs } from '../cli/commands/download';
import { SecureClient } from '../net/secure-client';
import type { DownloadTransport } from './download-job';

/**
 * Build the CLI's SecureClient: extra CAs from `--ca`, the rate cap from `--limit-rate`, and
 * a pool wide enough for `--connections`. Pins from `--pin` travel with each request.
 */
export async function createCliTransport(
  args: DownloadArgs,
): Promise<DownloadTransport & { close?: () => void }> {
  const client = new SecureClient({
    options: {
      caFiles: args.caFiles,
      bandwidthLimit: args.limitRate,
      pool: { maxSocketsPerHost: Math.max(8, args.connections ?? 4) },
    },
    defaultHighWaterMark: 1024 * 1024,
  });
  return {
    request: (url, init) => client.request(url, init),
    close: () => void client.close(),
  };
}
