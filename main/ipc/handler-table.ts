/**
 * The transport-neutral handler table. Every invoke channel of the contract maps to one
 * handler that guards the sender, validates the `unknown` argument against the contract's
 * schema, calls the core, and returns an Envelope. Transports (Electron IPC, loopback
 * WebSocket) only look handlers up here; neither holds logic.
 */
import {
  invokeSchemas,
  type Envelope,
  type InvokeArgs,
  type InvokeChannel,
  type InvokeResults,
} from '../../preload/contract';
import { AppError, toErrorPayload } from '../errors';
import type { Core } from '../core/services';

/** Who sent a message; the transport fills it in and the guard decides. */
export interface SenderContext {
  /** The transport's verdict: the message came from our own main frame at our own URL. */
  trusted: boolean;
  /** A description for logs (frame URL, remote address…). */
  origin: string;
}

/** A handler as a transport sees it: untrusted input in, envelope out, never throws. */
export type Handler = (args: unknown, sender: SenderContext) => Promise<Envelope<unknown>>;

/** The table of every invoke channel. */
export type HandlerTable = Record<InvokeChannel, Handler>;

type Impl = {
  [C in InvokeChannel]: (args: InvokeArgs<C>) => Promise<InvokeResults[C]> | InvokeResults[C];
};

/** Raised for messages whose sender is not our main frame. */
export class UntrustedSenderError extends AppError {
  constructor(origin: string) {
    super('ERR_UNTRUSTED_SENDER', `Refused a message from an untrusted sender (${origin})`);
  }
}

/** Describe a zod failure compactly: "path: message; …". */
function describeIssues(issues: { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.map(String).join('.') : 'argument'}: ${i.message}`)
    .join('; ');
}

/** Build the handler table from the core's services. */
export function createHandlerTable(
  core: Core,
  log: (level: 'warn' | 'error', message: string) => void = () => {},
): HandlerTable {
  const impl: Impl = {
    'app:getInfo': () => core.info,
    'app:openExternal': async ({ url }) => {
      await core.shell.openExternal(url);
      return null;
    },
    'jobs:list': () => core.jobs.list(),
    'jobs:add': (input) => core.jobs.add(input),
    'jobs:pause': ({ id }) => core.jobs.pause(id),
    'jobs:resume': ({ id }) => core.jobs.resume(id),
    'jobs:cancel': ({ id }) => core.jobs.cancel(id),
    'jobs:retry': ({ id }) => core.jobs.retry(id),
    'jobs:remove': async ({ id }) => {
      await core.jobs.remove(id);
      return null;
    },
    'jobs:reveal': async ({ id }) => {
      const path = core.jobs.pathOf(id);
      await core.shell.revealPath(path);
      return { path };
    },
    'jobs:setPriority': ({ id, priority }) => core.jobs.setPriority(id, priority),
    'jobs:pauseAll': async () => {
      await core.jobs.pauseAll();
      return null;
    },
    'jobs:resumeAll': async () => {
      await core.jobs.resumeAll();
      return null;
    },
    'jobs:clearHistory': async () => {
      await core.jobs.clearHistory();
      return null;
    },
    'updates:getStatus': () => core.updates.status(),
    'updates:check': () => core.updates.check(),
    'updates:install': ({ component, version, allowDowngrade }) =>
      core.updates.install(component, { version, allowDowngrade }),
    'updates:installAll': () => core.updates.installAll(),
    'updates:rollback': ({ component }) => core.updates.rollback(component),
    'security:listPins': () => core.security.listPins(),
    'security:addPin': (input) => core.security.addPin(input),
    'security:removePin': ({ host, pin }) => core.security.removePin(host, pin),
    'security:inspect': ({ url }) => core.security.inspect(url),
    'security:recentConnections': () => core.security.recentConnections(),
    'settings:get': () => core.settings.get(),
    'settings:update': (patch) => core.settings.update(patch),
    'diagnostics:recentLogs': (args) => core.diagnostics.recentLogs(args?.limit),
    'diagnostics:export': () => core.diagnostics.exportBundle(),
    'diagnostics:revealLogs': async () => {
      const path = core.diagnostics.logFile();
      await core.shell.revealPath(path);
      return { path };
    },
  };

  const table = {} as HandlerTable;
  for (const channel of Object.keys(invokeSchemas) as InvokeChannel[]) {
    const schema = invokeSchemas[channel];
    const run = impl[channel] as (args: unknown) => unknown;
    table[channel] = async (args, sender) => {
      // Guard, then validate, then act. Nothing below this line sees unvalidated input.
      if (!sender.trusted) {
        log('warn', `ipc: refused ${channel} from ${sender.origin}`);
        return { ok: false, error: toErrorPayload(new UntrustedSenderError(sender.origin)) };
      }
      const parsed = schema.safeParse(args);
      if (!parsed.success) {
        return {
          ok: false,
          error: {
            code: 'ERR_INVALID_ARGUMENT',
            message: `Invalid argument for ${channel}: ${describeIssues(parsed.error.issues)}`,
            retryable: false,
          },
        };
      }
      try {
        return { ok: true, value: await run(parsed.data) };
      } catch (err) {
        const payload = toErrorPayload(err);
        if (payload.code === 'ERR_INTERNAL')
          log('error', `ipc: ${channel} failed: ${String(err instanceof Error ? err.stack : err)}`);
        return { ok: false, error: payload };
      }
    };
  }
  return table;
}

/** Look up a channel name that came off the wire; undefined if it is not in the contract. */
export function lookupHandler(table: HandlerTable, channel: unknown): Handler | undefined {
  return typeof channel === 'string' && Object.hasOwn(table, channel)
    ? table[channel as InvokeChannel]
    : undefined;
}
