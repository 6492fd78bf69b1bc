/**
 * Logging in the Electron shell: electron-log under the core's redacting app logger
 * (rotated file in the state folder's logs/, which is electron-log's standard place on
 * Linux and Windows), and the renderer's console forwarded into it, so one file tells the
 * whole story. Renderer lines pass through the same redaction.
 *
 * Why `electron-log/node` and not `electron-log/main`: merely importing the main flavour
 * registers `ipcMain.on` and `ipcMain.handle` for '__ELECTRON_LOG__' with no sender check,
 * so any frame in any renderer could write forged lines into the log (and read logger
 * options). The page does not need it: its console reaches the log through the
 * `console-message` event below, and the file path is set explicitly.
 */
import type { NodeLogger } from 'electron-log';
import type { WebContents } from 'electron';
import type { LogLine } from '../../preload/contract';
import { createAppLogger, type AppLogger, type Logger } from '../util/logger';

/** Build the core's logger over an electron-log (node flavour) logger. */
export function createElectronAppLogger(
  backend: NodeLogger,
  file: string,
  onLine: (line: LogLine) => void,
  toConsole: boolean,
): AppLogger {
  return createAppLogger({
    backend: backend.create({ logId: 'main' }),
    file,
    onLine,
    console: toConsole,
  });
}

const LEVELS = { debug: 'debug', info: 'info', warning: 'warn', error: 'error' } as const;

/** Forward the page's console messages and renderer crashes into the log. */
export function forwardRendererLogs(contents: Pick<WebContents, 'on'>, logger: Logger): void {
  const log = logger.scope('renderer');
  contents.on('console-message', (event) => {
    const level = LEVELS[event.level] ?? 'info';
    log[level](`${event.message} (${event.sourceId}:${event.lineNumber})`);
  });
  contents.on('render-process-gone', (_event, details) => {
    log.error(`renderer process gone: ${details.reason} (exit code ${details.exitCode})`);
  });
  contents.on('preload-error', (_event, path, error) => {
    log.error(`preload failed (${path}): ${error.message}`);
  });
  contents.on('unresponsive', () => log.warn('renderer unresponsive'));
}
