/**
 * Guards a response body after the headers arrived: the idle timeout (no bytes from the
 * network for N ms while the consumer is waiting for more), cancellation and the overall
 * deadline, which destroy the body with a coded error. A consumer that is slow to read
 * (full buffer) is not "idle": the timer only counts time spent waiting on the network.
 */
import type { IncomingMessage } from 'node:http';
import { TimeoutError } from './errors';
import { abortReasonOf } from './connector';

/** Options of {@link monitorBody}. */
export interface BodyMonitorOptions {
  idleMs: number;
  url: string;
  /** Operation signal (user cancel or total timeout); aborting destroys the body. */
  signal: AbortSignal;
  /** Called once when the body ended, failed or was destroyed. */
  onDone: () => void;
}

/** Attach idle/abort guards to a response body. */
export function monitorBody(res: IncomingMessage, o: BodyMonitorOptions): void {
  const socket = res.socket;
  let last = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let finished = false;
  const onData = (): void => {
    last = Date.now();
  };
  const cleanup = (): void => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    socket?.off('data', onData);
    o.signal.removeEventListener('abort', onAbort);
    o.onDone();
  };
  const onAbort = (): void => {
    res.destroy(abortReasonOf(o.signal));
  };
  const check = (): void => {
    if (finished || res.complete) return;
    const waitingOnConsumer = res.readableLength >= res.readableHighWaterMark;
    // Time spent waiting on a slow consumer does not count as network silence.
    if (waitingOnConsumer) last = Date.now();
    const quiet = Date.now() - last;
    if (!waitingOnConsumer && quiet >= o.idleMs) {
      res.destroy(new TimeoutError('idle', o.idleMs, o.url));
      return;
    }
    timer = setTimeout(check, waitingOnConsumer ? o.idleMs : Math.max(10, o.idleMs - quiet));
  };
  socket?.on('data', onData);
  res.once('end', cleanup);
  res.once('close', cleanup);
  res.once('error', cleanup);
  if (o.signal.aborted) {
    queueMicrotask(onAbort);
  } else o.signal.addEventListener('abort', onAbort, { once: true });
  if (o.idleMs > 0) timer = setTimeout(check, o.idleMs);
}
