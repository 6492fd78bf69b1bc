/** `rollback <component> [--json]`: restore the newest backup of a component. */
import { toErrorPayload } from '../../errors';
import {
  openCliUpdateService,
  parseUpdateArgsOrExit,
  takeComponentArg,
  UPDATE_FLAGS_HELP,
} from '../../update/cli-support';
import { formatResults } from './install';

const USAGE = `Usage: rollback <core|templates|module:<id>> [--json]

Restores the newest kept backup; the current version becomes a backup.
${UPDATE_FLAGS_HELP}`;

/** Run `rollback`; 0 on success, 1 on failure (e.g. ERR_NO_BACKUP), 2 on usage errors. */
export async function runRollbackCommand(
  argv: string[],
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<number> {
  const args = parseUpdateArgsOrExit(argv, USAGE, io);
  if (typeof args === 'number') return args;
  const component = takeComponentArg(args, USAGE, io, false);
  if (typeof component === 'number') return component;
  let ctx;
  try {
    ctx = await openCliUpdateService(args);
    const r = await ctx.service.rollback(component);
    if (args.json) io.stdout.write(JSON.stringify(r, null, 2) + '\n');
    else io.stdout.write(formatResults([r]));
    if (!r.ok && !args.json) io.stderr.write(`error ${r.error?.code}: ${r.error?.message}\n`);
    return r.ok ? 0 : 1;
  } catch (err) {
    const e = toErrorPayload(err);
    if (args.json) io.stdout.write(JSON.stringify({ error: e }, null, 2) + '\n');
    io.stderr.write(`error ${e.code}: ${e.message}\n`);
    return e.code === 'ERR_INVALID_ARGUMENT' ? 2 : 1;
  } finally {
    await ctx?.close();
  }
}
