/**
 * The app logger: electron-log underneath (`electron-log/node` in host mode and the CLI,
 * `electron-log/main` in Electron), a rotated file in the state dir, secrets redacted by a
 * hook before any transport sees them, and a ring buffer of recent lines for diagnostics.
 */
import type { NodeLogger } from 'electron-log';
import type { LogLine } from '../../preload/contract';
import { redactSecrets } from './redact';

type ElectronLog = NodeLogger;

/** The logging surface the core uses. */
export interface Logger {
  error(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  info(...args: unknown[]): void;
  debug(...args: unknown[]): void;
  scope(name: string): Logger;
}

/** A logger plus its recent-lines buffer. */
export interface AppLogger extends Logger {
  recent(limit?: number): LogLine[];
  file: string;
}

function stringify(arg: unknown): string {
  if (typeof arg === 'string') return arg;
  if (arg instanceof Error)
    return `${arg.name}: ${arg.message}${'code' in arg ? ` [${String((arg as { code: unknown }).code)}]` : ''}`;
  try {
    return JSON.stringify(arg);
  } catch {
    return String(arg);
  }
}

/** Options for {@link createAppLogger}. */
export interface AppLoggerOptions {
  backend: ElectronLog;
  file: string;
  /** Rotate at this size (electron-log keeps one `.old.log`). */
  maxBytes?: number;
  ringSize?: number;
  console?: boolean;
  onLine?: (line: LogLine) => void;
}

/** Create the app logger over an electron-log instance. */
export function createAppLogger(opts: AppLoggerOptions): AppLogger {
  const { backend } = opts;
  backend.transports.file.resolvePathFn = () => opts.file;
  backend.transports.file.maxSize = opts.maxBytes ?? 5 * 1024 * 1024;
  backend.transports.file.level = 'debug';
  backend.transports.console.level = opts.console ? 'info' : false;
  // Redact before any transport (file, console, IPC) sees the message.
  backend.hooks.push((message) => {
    message.data = message.data.map((d) => redactSecrets(stringify(d)));
    return message;
  });
  const ring: LogLine[] = [];
  const ringSize = opts.ringSize ?? 2000;
  const make = (scope: string | null): Logger => {
    const target = scope ? backend.scope(scope) : backend;
    const at =
      (level: LogLine['level']) =>
      (...args: unknown[]) => {
        const line: LogLine = {
          at: new Date().toISOString(),
          level,
          scope,
          message: redactSecrets(args.map(stringify).join(' ')),
        };
        ring.push(line);
        if (ring.length > ringSize) ring.splice(0, ring.length - ringSize);
        target[level](line.message);
        opts.onLine?.(line);
      };
    return {
      error: at('error'),
      warn: at('warn'),
      info: at('info'),
      debug: at('debug'),
      scope: (name) => make(name),
    };
  };
  const root = make(null);
  return { ...root, file: opts.file, recent: (limit = 200) => ring.slice(-limit) };
}

/** A logger that discards everything (tests, quiet CLI). */
export const silentLogger: Logger = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  scope: () => silentLogger,
};
