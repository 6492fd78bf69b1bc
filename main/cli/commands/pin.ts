/**
 * `pin <https-url> [--ca FILE] [--json] [network flags]`: connect under the full TLS policy and
 * print the verified chain with a `sha256/…` SPKI pin per certificate, so a user can pin it.
 */
import { AppError, toErrorPayload } from '../../errors';
import { formatChain } from '../../net/cert-info';
import { SecureClient } from '../../net/secure-client';
import { netFlagsHelp, parseNetFlags } from '../net-flags';

const USAGE = `Usage: pin <https-url> [--ca FILE] [--json] [network flags]

Connects to the host, verifies its certificate chain and prints every certificate of the
verified chain with its SPKI pin (sha256/BASE64). Network flags:
${netFlagsHelp()}
  --json                    print the connection facts as JSON`;

/** Run the pin command; returns the process exit code (0 ok, 1 failure, 2 usage). */
export async function runPinCommand(
  argv: string[],
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<number> {
  let json = false;
  let parsed;
  try {
    parsed = parseNetFlags(argv);
  } catch (err) {
    const e = toErrorPayload(err);
    io.stderr.write(`error ${e.code}: ${e.message}\n`);
    return 2;
  }
  const positional: string[] = [];
  for (const arg of parsed.rest) {
    if (arg === '--json') json = true;
    else if (arg === '--help' || arg === '-h') {
      io.stdout.write(USAGE + '\n');
      return 0;
    } else if (arg.startsWith('-')) {
      io.stderr.write(`error ERR_INVALID_ARGUMENT: unknown option ${arg}\n${USAGE}\n`);
      return 2;
    } else positional.push(arg);
  }
  if (positional.length !== 1) {
    io.stderr.write(`error ERR_INVALID_ARGUMENT: expected exactly one https URL\n${USAGE}\n`);
    return 2;
  }
  let client: SecureClient | null = null;
  try {
    client = new SecureClient({
      options: { ...parsed.options, retry: { maxAttempts: 1, ...parsed.options.retry } },
    });
    const facts = await client.inspect(positional[0], { pins: parsed.pins });
    if (json) io.stdout.write(JSON.stringify(facts, null, 2) + '\n');
    else {
      io.stdout.write(
        [
          `${facts.host}:${facts.port} (${facts.remoteAddress ?? '?'})  ${facts.tlsVersion ?? '?'}  ${facts.cipher ?? '?'}`,
          `verified chain (leaf first):`,
          formatChain(facts.chain),
          facts.matchedPin
            ? `matched pin: ${facts.matchedPin.pin} (certificate ${facts.matchedPin.certIndex})`
            : null,
          '',
          `To pin this host, use one of the pins above, e.g.: --pin ${facts.chain[1]?.spkiPin ?? facts.chain[0]?.spkiPin}`,
        ]
          .filter((l) => l !== null)
          .join('\n') + '\n',
      );
    }
    return 0;
  } catch (err) {
    const e = toErrorPayload(err);
    if (json) io.stdout.write(JSON.stringify({ error: e }, null, 2) + '\n');
    io.stderr.write(`error ${e.code}: ${e.message}\n`);
    return err instanceof AppError && err.code === 'ERR_INVALID_ARGUMENT' ? 2 : 1;
  } finally {
    await client?.close();
  }
}
