/**
 * `check [--feed URL --root root.json] [--json]`: refresh the signed feed and list
 * installed and available versions. Exit 0 only when the feed verified.
 */
import { toErrorPayload } from '../../errors';
import {
  openCliUpdateService,
  parseUpdateArgsOrExit,
  UPDATE_FLAGS_HELP,
} from '../../update/cli-support';
import type { UpdateStatus } from '../../../preload/contract';

const USAGE = `Usage: check [--feed URL --root root.json] [--json]

Verifies the update feed (TUF) and lists installed and available LLMrecon components.
${UPDATE_FLAGS_HELP}`;

/** Human-readable table of a status. */
export function formatStatus(st: UpdateStatus): string {
  const lines = [
    `feed: ${st.feed.label}${st.feed.demo ? '' : ` <${st.feed.url}>`} — ${st.feed.state}${st.feed.validUntil ? ` (valid until ${st.feed.validUntil})` : ''}`,
  ];
  if (st.feed.error) lines.push(`  ${st.feed.error.code}: ${st.feed.error.message}`);
  lines.push(
    '',
    `${'component'.padEnd(22)}${'installed'.padEnd(14)}${'available'.padEnd(14)}notes`,
  );
  for (const c of st.components) {
    const mark = c.updateAvailable ? ' *' : '';
    lines.push(
      `${c.key.padEnd(22)}${(c.installedVersion ?? '-').padEnd(14)}${((c.availableVersion ?? '-') + mark).padEnd(14)}${c.updateAvailable ? (c.releaseNotes ?? '') : ''}`,
    );
  }
  if (st.components.some((c) => c.updateAvailable))
    lines.push('', '* update available: run `install <component|all>`');
  return lines.join('\n') + '\n';
}

/** Run `check`; 0 when the feed verified, 1 otherwise, 2 on usage errors. */
export async function runCheckCommand(
  argv: string[],
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<number> {
  const args = parseUpdateArgsOrExit(argv, USAGE, io);
  if (typeof args === 'number') return args;
  if (args.positional.length) {
    io.stderr.write(
      `error ERR_INVALID_ARGUMENT: unexpected argument ${args.positional[0]}\n${USAGE}\n`,
    );
    return 2;
  }
  let ctx;
  try {
    ctx = await openCliUpdateService(args);
    const st = await ctx.service.check();
    if (args.json) io.stdout.write(JSON.stringify(st, null, 2) + '\n');
    else io.stdout.write(formatStatus(st));
    if (st.feed.error && !args.json)
      io.stderr.write(`error ${st.feed.error.code}: ${st.feed.error.message}\n`);
    return st.feed.state === 'ok' ? 0 : 1;
  } catch (err) {
    const e = toErrorPayload(err);
    if (args.json) io.stdout.write(JSON.stringify({ error: e }, null, 2) + '\n');
    io.stderr.write(`error ${e.code}: ${e.message}\n`);
    return e.code === 'ERR_INVALID_ARGUMENT' ? 2 : 1;
  } finally {
    await ctx?.close();
  }
}
