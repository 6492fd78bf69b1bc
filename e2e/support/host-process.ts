/** Starts the built host mode (dist/main/host.cjs) as a real child process for e2e tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A running host-mode process. */
export interface HostProcess {
  url: string;
  port: number;
  token: string;
  stateDir: string;
  child: ChildProcess;
  output(): string;
  /** Stop gracefully (SIGTERM). */
  stop(): Promise<void>;
  /** Crash it (SIGKILL), as a power loss or kill -9 would. */
  kill9(): Promise<void>;
}

/** Options for {@link startHostProcess}. */
export interface HostProcessOptions {
  stateDir?: string;
  port?: number;
  token?: string;
  env?: Record<string, string>;
}

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Start host mode and wait until it prints its URL. */
export async function startHostProcess(opts: HostProcessOptions = {}): Promise<HostProcess> {
  const stateDir = opts.stateDir ?? mkdtempSync(join(tmpdir(), 'um-e2e-'));
  const child = spawn(process.execPath, [join(ROOT, 'dist/main/host.cjs')], {
    env: {
      ...process.env,
      LLMRECON_UM_STATE_DIR: stateDir,
      ...(opts.port ? { LLMRECON_UM_PORT: String(opts.port) } : {}),
      ...(opts.token ? { LLMRECON_UM_TOKEN: opts.token } : {}),
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`host did not start in time:\n${out}`)),
      30_000,
    );
    const check = () => {
      const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${code}:\n${out}`));
    });
  });
  const m = /127\.0\.0\.1:(\d+)\/#token=(.+)$/.exec(url)!;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    url,
    port: Number(m[1]),
    token: m[2]!,
    stateDir,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
