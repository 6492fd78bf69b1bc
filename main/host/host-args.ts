/** Command-line arguments of host mode. */
import { InvalidArgumentError } from '../errors';

/** Parsed host-mode arguments. */
export interface HostArgs {
  port: number;
  stateDir: string | null;
  rendererDir: string | null;
  token: string | null;
  help: boolean;
}

/** Usage text. */
export const HOST_USAGE = `Usage: node dist/main/host.cjs [--port N] [--state-dir DIR]

Runs the update manager core in Node and serves its UI on http://127.0.0.1:<port>/.
  --port N         listen on this loopback port (default: a free port)
  --state-dir DIR  state directory (default: $LLMRECON_UM_STATE_DIR or XDG state dir)
Environment: LLMRECON_UM_PORT, LLMRECON_UM_STATE_DIR, LLMRECON_UM_TOKEN (tests only).
`;

/** Parse host-mode argv and environment. */
export function parseHostArgs(argv: string[], env: NodeJS.ProcessEnv): HostArgs {
  const out: HostArgs = {
    port: env.LLMRECON_UM_PORT ? Number(env.LLMRECON_UM_PORT) : 0,
    stateDir: env.LLMRECON_UM_STATE_DIR ?? null,
    rendererDir: env.LLMRECON_UM_RENDERER_DIR ?? null,
    token: env.LLMRECON_UM_TOKEN ?? null,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new InvalidArgumentError(`${a} needs a value`);
      return v;
    };
    if (a === '--port') out.port = Number(value());
    else if (a === '--state-dir') out.stateDir = value();
    else if (a === '--help' || a === '-h') out.help = true;
    else throw new InvalidArgumentError(`unknown argument ${a}`);
  }
  if (!Number.isInteger(out.port) || out.port < 0 || out.port > 65535)
    throw new InvalidArgumentError('--port must be 0–65535');
  if (out.token !== null && out.token.length < 16)
    throw new InvalidArgumentError('LLMRECON_UM_TOKEN must be at least 16 characters');
  return out;
}
