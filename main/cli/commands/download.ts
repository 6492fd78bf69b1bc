/**
 * `download <url> -o <file>`: a verified, resumable download from the command line.
 * Exit 0 only after the file is verified and promoted; re-running the same command after
 * Ctrl-C or kill -9 resumes from `<file>.part` + its durable state.
 */
import { SingleBar } from 'cli-progress';
import { AppError, InvalidArgumentError, toErrorPayload } from '../../errors';
import { parseExpectedDigest } from '../../download/integrity';
import type { SecureDownloadOptions } from '../../download/options';
import { SecureDownloader, type DownloadTransport } from '../../download/secure-downloader';
import type { DownloadProgress, DownloadResult } from '../../download/types';
import type { CliIo } from '../cli-io';
import { netFlagsHelp, parseNetFlags } from '../net-flags';
import type { ConnectionSecurityPatch } from '../../net/options';

/** Parsed `download` arguments. */
export interface DownloadArgs {
  url: string;
  output: string;
  sha256: string | null;
  sha512: string | null;
  size: number | null;
  /** `--pin` values (normalised) for the URL's host. */
  pins: string[];
  caFiles: string[];
  /** Every common network flag (CA, TLS minimum, timeouts, retries, proxy, rate…) as client options. */
  netOptions: ConnectionSecurityPatch;
  connections: number | null;
  limitRate: number | null;
  json: boolean;
  quiet: boolean;
  help: boolean;
}

/** How the command builds its secure client (injected by tests). */
export interface DownloadCommandDeps {
  createTransport(args: DownloadArgs): Promise<DownloadTransport & { close?: () => void }>;
  /** Extra downloader options (benchmarks compare hash strategies with this). */
  extraOptions?: Partial<SecureDownloadOptions>;
}

/** Usage text of the command. */
export const DOWNLOAD_USAGE = `Usage: download <url> -o <file> [options]

  -o, --output FILE     where the verified file goes (required)
  --sha256 HEX|SRI      expected SHA-256 (hex or sha256-BASE64)
  --sha512 HEX|SRI      expected SHA-512 (hex or sha512-BASE64)
  --size N              expected size in bytes
  --connections N       parallel connections, 1-16 (default 4)
  --json                print one JSON line with the result
  --quiet               print nothing but errors

Network options:
`;

/** Parse argv (after the command name). Throws ERR_INVALID_ARGUMENT with a readable message. */
export function parseDownloadArgs(argv: string[]): DownloadArgs {
  // The common network flags first (shared with the other commands), then our own.
  const net = parseNetFlags(argv);
  const args: DownloadArgs = {
    url: '',
    output: '',
    sha256: null,
    sha512: null,
    size: null,
    pins: net.pins,
    caFiles: net.options.caFiles ?? [],
    netOptions: net.options,
    connections: null,
    limitRate: net.options.bandwidthLimit ?? null,
    json: false,
    quiet: false,
    help: false,
  };
  const positional: string[] = [];
  const own = net.rest;
  for (let i = 0; i < own.length; i++) {
    const raw = own[i];
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const flag = eq > 0 ? raw.slice(0, eq) : raw;
    const value = (): string => {
      if (eq > 0) return raw.slice(eq + 1);
      const next = own[++i];
      if (next === undefined) throw new InvalidArgumentError(`${flag} needs a value.`);
      return next;
    };
    switch (flag) {
      case '-o':
      case '--output':
        args.output = value();
        break;
      case '--sha256':
        args.sha256 = value();
        break;
      case '--sha512':
        args.sha512 = value();
        break;
      case '--size': {
        const v = value();
        if (!/^\d+$/.test(v)) throw new InvalidArgumentError('--size must be a byte count.');
        args.size = Number(v);
        break;
      }
      case '--connections': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1 || n > 16) {
          throw new InvalidArgumentError('--connections must be from 1 to 16.');
        }
        args.connections = n;
        break;
      }
      case '--json':
        args.json = true;
        break;
      case '--quiet':
      case '-q':
        args.quiet = true;
        break;
      case '--help':
      case '-h':
        args.help = true;
        break;
      default:
        if (flag.startsWith('-') && flag !== '-')
          throw new InvalidArgumentError(`Unknown option ${flag}.`);
        positional.push(raw);
    }
  }
  if (args.help) return args;
  if (positional.length !== 1) throw new InvalidArgumentError('Give exactly one URL.');
  args.url = positional[0];
  if (!args.output) throw new InvalidArgumentError('-o <file> is required.');
  if (args.sha256 && args.sha512)
    throw new InvalidArgumentError('Give --sha256 or --sha512, not both.');
  // Validate digests now, so a typo fails before any network traffic.
  if (args.sha256) parseExpectedDigest(args.sha256, 'sha256');
  if (args.sha512) parseExpectedDigest(args.sha512, 'sha512');
  return args;
}

/** Downloader options for parsed arguments. */
export function downloadOptionsOf(args: DownloadArgs): Partial<SecureDownloadOptions> {
  return {
    connections: args.connections ?? undefined,
    expectedSize: args.size,
    expectedDigest: args.sha256 ?? args.sha512,
    expectedAlgorithm: args.sha256 ? 'sha256' : args.sha512 ? 'sha512' : null,
    pins: args.pins,
  };
}

function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

/** A live progress bar on a TTY (cli-progress), writing to stderr so stdout stays clean. */
function createBar(io: CliIo): { update(p: DownloadProgress): void; stop(): void } {
  const bar = new SingleBar({
    stream: io.stderr,
    format: ' {bar} {percentage}% | {done} / {size} | {speed}/s | ETA {eta_formatted}',
    barsize: 30,
    hideCursor: true,
    // The caller decided this is a terminal (io.isTTY); the stream object may not say so.
    noTTYOutput: true,
    clearOnComplete: false,
    etaBuffer: 1,
    fps: 10,
  });
  let started = false;
  return {
    update(p) {
      const total = p.total ?? Math.max(p.downloaded, 1);
      const payload = {
        done: formatBytes(p.downloaded),
        size: p.total === null ? '?' : formatBytes(p.total),
        speed: formatBytes(p.bytesPerSecond),
      };
      if (!started) {
        bar.start(total, p.downloaded, payload);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(p.downloaded, payload);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/** The default client: the app's SecureClient with the flags' trust, pins and rate limit. */
async function createDefaultTransport(
  args: DownloadArgs,
): Promise<DownloadTransport & { close?: () => void }> {
  const { createCliTransport } = await import('../../download/cli-transport');
  return createCliTransport(args);
}

/** Run `download`; resolves to the exit code (0 only on a verified success). */
export async function runDownloadCommand(
  argv: string[],
  io: CliIo,
  deps: Partial<DownloadCommandDeps> = {},
): Promise<number> {
  const createTransport = deps.createTransport ?? createDefaultTransport;
  let args: DownloadArgs;
  try {
    args = parseDownloadArgs(argv);
  } catch (err) {
    const e = toErrorPayload(err);
    if (argv.includes('--json'))
      io.stdout.write(JSON.stringify({ ok: false, code: e.code, message: e.message }) + '\n');
    else io.stderr.write(`${e.code}: ${e.message}\n\n${DOWNLOAD_USAGE}${netFlagsHelp()}\n`);
    return 2;
  }
  if (args.help) {
    io.stdout.write(DOWNLOAD_USAGE + netFlagsHelp() + '\n');
    return 0;
  }
  const controller = new AbortController();
  // Ctrl-C: stop cleanly so the checkpoint is written; a second Ctrl-C is left to the default.
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigint);
  const bar = io.isTTY && !args.quiet && !args.json ? createBar(io) : null;
  let transport: (DownloadTransport & { close?: () => void }) | null = null;
  try {
    transport = await createTransport(args);
    const downloader = new SecureDownloader(transport);
    const result: DownloadResult = await downloader.download(
      args.url,
      args.output,
      {
        ...deps.extraOptions,
        ...downloadOptionsOf(args),
        observer: { onProgress: bar ? (p) => bar.update(p) : undefined },
      },
      controller.signal,
    );
    bar?.stop();
    if (args.json) {
      const line: Record<string, unknown> = {
        ok: true,
        sha256: result.sha256,
        bytes: result.bytes,
      };
      if (result.sha512) line.sha512 = result.sha512;
      line.path = result.dest;
      line.resumed = result.resumed;
      line.bytesTransferred = result.bytesTransferred;
      io.stdout.write(JSON.stringify(line) + '\n');
    } else if (!args.quiet) {
      io.stdout.write(
        `${result.dest}: ${result.bytes} bytes, sha256 ${result.sha256}` +
          `${result.sha512 ? `, sha512 ${result.sha512}` : ''}${result.resumed ? ' (resumed)' : ''}, verified\n`,
      );
    }
    return 0;
  } catch (err) {
    bar?.stop();
    const e = toErrorPayload(err);
    if (args.json)
      io.stdout.write(JSON.stringify({ ok: false, code: e.code, message: e.message }) + '\n');
    else io.stderr.write(`${e.code}: ${e.message}\n`);
    return err instanceof AppError && err.code === 'ERR_ABORTED' ? 130 : 1;
  } finally {
    process.removeListener('SIGINT', onSigint);
    process.removeListener('SIGTERM', onSigint);
    transport?.close?.();
  }
}
