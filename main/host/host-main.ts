/**
 * Host mode: the same main-process core in plain Node, serving the same renderer bundle to
 * a browser on loopback. Used by `npm start` where no Electron binary can run.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import log from 'electron-log/node';
import { createCore } from '../core/create-core';
import { defaultStateDir } from '../core/paths';
import { attachWsTransport } from '../ipc/ws-transport';
import { createHandlerTable } from '../ipc/handler-table';
import { createAppLogger } from '../util/logger';
import { createStaticServer } from './static-server';
import { parseHostArgs, HOST_USAGE } from './host-args';
import { APP_VERSION } from '../version';

/** Start host mode; resolves once listening. */
export async function startHost(argv: string[], env: NodeJS.ProcessEnv = process.env) {
  const args = parseHostArgs(argv, env);
  if (args.help) {
    process.stdout.write(HOST_USAGE);
    return null;
  }
  const stateDir = args.stateDir ?? defaultStateDir(env);
  const rendererDir = args.rendererDir ?? join(__dirname, '..', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`renderer bundle not found in ${rendererDir}; run "npm run build" first`);
  }
  const token = args.token ?? randomBytes(24).toString('base64url');
  let port = args.port;
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];
  const allowedOrigins = () => [`http://127.0.0.1:${port}`, `http://localhost:${port}`];

  const core = await createCore({
    mode: 'host',
    stateDir,
    version: APP_VERSION,
    shell: {
      async revealPath() {
        // A browser cannot open the file manager; the UI shows the returned path instead.
      },
      async openExternal() {
        // The page opens https links itself in host mode.
      },
    },
    // dist/main/host.cjs → <app>/assets/feed/feed.json (the shipped production feed config).
    feedConfigFile:
      env.LLMRECON_FEED_CONFIG ?? join(__dirname, '..', '..', 'assets', 'feed', 'feed.json'),
    createLogger: (file, onLine) =>
      createAppLogger({ backend: log.create({ logId: 'host' }), file, onLine, console: false }),
  });
  const logger = createAppLogger({
    backend: log.create({ logId: 'host-transport' }),
    file: core.info.logFile,
  });
  const table = createHandlerTable(core, (level, message) => logger[level](message));
  const server = createStaticServer({ rendererDir, allowedHosts, port: () => port });
  const transport = attachWsTransport({
    server,
    table,
    events: core.events,
    token,
    allowedHosts,
    allowedOrigins,
    log: logger,
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Loopback only: never bind a wildcard address.
    server.listen(port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/#token=${token}`;

  const close = async () => {
    transport.close();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await core.close();
  };
  return { url, port, token, core, close };
}

if (require.main === module) {
  startHost(process.argv.slice(2))
    .then((host) => {
      if (!host) return;
      const reason = process.env.LLMRECON_UM_NO_WINDOW_REASON;
      process.stdout.write(
        [
          'LLMrecon Update Manager — host mode',
          reason
            ? `No Electron window opened: ${reason}`
            : 'Running the main-process core in Node (host mode).',
          `Open this URL in a browser on this machine:`,
          `  ${host.url}`,
          `State: ${host.core.info.stateDir}`,
          `Logs:  ${host.core.info.logFile}`,
          'Press Ctrl-C to stop.',
          '',
        ].join('\n'),
      );
      let closing = false;
      const stop = (signal: string) => {
        if (closing) return;
        closing = true;
        host.core.events.emit('app:notice', {
          level: 'info',
          code: null,
          message: `stopping (${signal})`,
          at: Date.now(),
        });
        host.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
    })
    .catch((err) => {
      process.stderr.write(
        `host mode failed to start: ${err instanceof Error ? err.message : String(err)}\n`,
      );
      process.exit(1);
    });
}
