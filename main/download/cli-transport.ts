/** The secure client the `download` CLI command uses, built from its flags. */
import { AppError } from '../errors';
import type { DownloadArgs } from '../cli/commands/download';
import type { DownloadTransport } from './download-job';

/** Build the CLI's transport (wired to SecureClient once main/net exports it). */
export async function createCliTransport(
  _args: DownloadArgs,
): Promise<DownloadTransport & { close?: () => void }> {
  throw new AppError('ERR_INTERNAL', 'The secure client is not available yet.');
}
