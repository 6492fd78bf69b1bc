/**
 * The Electron IPC transport: `ipcMain.handle` for every contract channel, looking the
 * handler up in the transport-neutral table, and core events sent to the window in
 * batches on one channel. It is the only module in main/ that touches `ipcMain` or
 * `webContents.send` (lint-enforced); it imports no `electron` itself, the shell passes the
 * objects in, so it stays plain Node and testable.
 *
 * Sender check (Electron security checklist item 17): any frame in any WebContents can
 * call `ipcRenderer.invoke` if it gets a preload or a compromised renderer, including an
 * iframe or a page we navigated to by mistake. Every message must therefore come from our
 * window's WebContents, from its main (top-level) frame, whose URL is our own bundle.
 * Anything else gets ERR_UNTRUSTED_SENDER from the table's guard and never reaches the core.
 */
import { EVENT_IPC_CHANNEL, INVOKE_CHANNELS, type EventChannel } from '../../preload/contract';
import type { EventHub } from '../core/services';
import type { HandlerTable, SenderContext } from './handler-table';

/** The parts of a WebFrameMain the check reads. */
export interface FrameLike {
  readonly url: string;
  readonly parent: FrameLike | null;
  readonly processId: number;
  readonly routingId: number;
}

/** The parts of a WebContents the transport uses. */
export interface WebContentsLike {
  readonly mainFrame: FrameLike;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

/** The parts of an IpcMainInvokeEvent the check reads. */
export interface InvokeEventLike {
  readonly sender: unknown;
  readonly senderFrame: FrameLike | null;
}

/** The parts of ipcMain the transport uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** Options for {@link attachElectronTransport}. */
export interface ElectronTransportOptions {
  ipcMain: IpcMainLike;
  table: HandlerTable;
  events: EventHub;
  /** The one WebContents we trust (the main window's), or null while there is none. */
  contents: () => WebContentsLike | null;
  /** True for URLs of our own bundle. */
  isAppUrl: (url: string) => boolean;
  /** Events are collected for this long and sent as one message (default 16 ms). */
  batchMs?: number;
}

/** One event inside a batch on {@link EVENT_IPC_CHANNEL}. */
export interface EventEnvelope {
  event: EventChannel;
  payload: unknown;
}

/** Decide whether an invoke event came from our window's main frame at our own URL. */
export function checkSender(
  event: InvokeEventLike,
  contents: WebContentsLike | null,
  isAppUrl: (url: string) => boolean,
): SenderContext {
  const frame = event.senderFrame;
  const url = frame?.url ?? '(unknown frame)';
  if (!contents || contents.isDestroyed())
    return { trusted: false, origin: `no app window (${url})` };
  if (event.sender !== contents) return { trusted: false, origin: `another WebContents (${url})` };
  // A null frame means it navigated away or was destroyed after sending: refuse.
  if (!frame) return { trusted: false, origin: 'a frame that is gone' };
  const main = contents.mainFrame;
  const isMain =
    frame.parent === null &&
    (frame === main || (frame.processId === main.processId && frame.routingId === main.routingId));
  if (!isMain) return { trusted: false, origin: `a subframe (${url})` };
  if (!isAppUrl(frame.url)) return { trusted: false, origin: `a foreign page (${url})` };
  return { trusted: true, origin: `main frame ${url}` };
}

/** Register every contract channel on ipcMain and forward core events; returns a closer. */
export function attachElectronTransport(opts: ElectronTransportOptions): { close(): void } {
  for (const channel of INVOKE_CHANNELS) {
    const handler = opts.table[channel];
    opts.ipcMain.handle(channel, async (event, args) => {
      const sender = checkSender(event, opts.contents(), opts.isAppUrl);
      try {
        return await handler(args, sender);
      } catch {
        // The table never throws; this only keeps a bug from leaking a stack to the page.
        return {
          ok: false,
          error: { code: 'ERR_INTERNAL', message: 'Internal error', retryable: false },
        };
      }
    });
  }

  let queue: EventEnvelope[] = [];
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    timer = null;
    const batch = queue;
    queue = [];
    const contents = opts.contents();
    if (batch.length === 0 || !contents || contents.isDestroyed()) return;
    contents.send(EVENT_IPC_CHANNEL, batch);
  };
  const unsubscribe = opts.events.subscribe((event, payload) => {
    queue.push({ event, payload });
    timer ??= setTimeout(flush, opts.batchMs ?? 16);
  });

  return {
    close() {
      unsubscribe();
      if (timer) clearTimeout(timer);
      timer = null;
      queue = [];
      for (const channel of INVOKE_CHANNELS) opts.ipcMain.removeHandler(channel);
    },
  };
}
