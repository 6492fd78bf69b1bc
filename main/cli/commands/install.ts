/**
 * `install <component|all> [--version V] [--allow-downgrade] [--json]`: download, verify,
 * extract, validate and swap in a component (core, templates, module:<id>) or all updates.
 */
import { toErrorPayload } from '../../errors';
import {
  openCliUpdateService,
  parseUpdateArgsOrExit,
  takeComponentArg,
  UPDATE_FLAGS_HELP,
} from '../../update/cli-support';
import type { InstallResult } from '../../../preload/contract';

const USAGE = `Usage: install <core|templates|module:<id>|all> [--version V] [--allow-downgrade] [--json]

Installs the newest release on your channel (or --version V). Installing a version older
than the installed one, or than the highest ever installed, is refused unless
--allow-downgrade is given.
${UPDATE_FLAGS_HELP}`;

/** One line per result. */
export function formatResults(results: InstallResult[]): string {
  return (
    results
      .map((r) =>
        r.ok
          ? r.fromVersion === r.toVersion
            ? `${r.componentKey}: already at ${r.toVersion}`
            : `${r.componentKey}: ${r.fromVersion ?? 'not installed'} -> ${r.toVersion}`
          : `${r.componentKey}: FAILED ${r.error?.code}: ${r.error?.message}`,
      )
      .join('\n') + '\n'
  );
}

/** Run `install`; 0 only when every install succeeded. */
export async function runInstallCommand(
  argv: string[],
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<number> {
  const args = parseUpdateArgsOrExit(argv, USAGE, io);
  if (typeof args === 'number') return args;
  const component = takeComponentArg(args, USAGE, io, true);
  if (typeof component === 'number') return component;
  const version = args.flags['--version'] as string | undefined;
  const allowDowngrade = args.flags['--allow-downgrade'] === true;
  if (component === 'all' && (version || allowDowngrade)) {
    io.stderr.write(
      'error ERR_INVALID_ARGUMENT: --version and --allow-downgrade need one component\n',
    );
    return 2;
  }
  let ctx;
  try {
    ctx = await openCliUpdateService(args);
    if (allowDowngrade && !args.json)
      io.stderr.write(
        'warning: --allow-downgrade may install an older, possibly vulnerable release\n',
      );
    const results =
      component === 'all'
        ? await ctx.service.installAll()
        : [await ctx.service.install(component, { version, allowDowngrade })];
    if (args.json)
      io.stdout.write(JSON.stringify(component === 'all' ? results : results[0], null, 2) + '\n');
    else io.stdout.write(results.length ? formatResults(results) : 'everything is up to date\n');
    for (const r of results)
      if (!r.ok && !args.json) io.stderr.write(`error ${r.error?.code}: ${r.error?.message}\n`);
    return results.every((r) => r.ok) ? 0 : 1;
  } catch (err) {
    const e = toErrorPayload(err);
    if (args.json) io.stdout.write(JSON.stringify({ error: e }, null, 2) + '\n');
    io.stderr.write(`error ${e.code}: ${e.message}\n`);
    return e.code === 'ERR_INVALID_ARGUMENT' ? 2 : 1;
  } finally {
    await ctx?.close();
  }
}
