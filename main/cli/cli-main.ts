/**
 * The command-line front end over the same core modules as the app:
 * `npm run --silent cli -- <command> [args]`. It prints only the command's output.
 */
import { APP_VERSION } from '../version';
import { COMMANDS } from './commands/index';
import type { CliIo } from './cli-io';
import { toErrorPayload } from '../errors';

/** The top-level usage text. */
export function usage(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(8, ...names.map((n) => n.length));
  return [
    'Usage: llmrecon-um <command> [options]',
    '',
    'Commands:',
    ...names.map((n) => `  ${n.padEnd(width)}  ${COMMANDS[n]!.summary}`),
    '',
    'Options:',
    '  --help, -h     show help (also: <command> --help)',
    '  --version, -V  print the version',
    '',
  ].join('\n');
}

/** Run the CLI with argv (without node and script); resolves to the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.stdout.write(usage());
    return first === undefined ? 2 : 0;
  }
  if (first === '--version' || first === '-V') {
    io.stdout.write(`${APP_VERSION}\n`);
    return 0;
  }
  const entry = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
  if (!entry) {
    io.stderr.write(`Unknown command "${first}".\n\n${usage()}`);
    return 2;
  }
  try {
    const command = await entry.load();
    return await command(rest, io);
  } catch (err) {
    const e = toErrorPayload(err);
    io.stderr.write(`${e.code}: ${e.message}\n`);
    return 1;
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: Boolean(process.stdout.isTTY),
  }).then((code) => {
    process.exitCode = code;
  });
}
