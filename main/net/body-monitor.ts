/**
 * Guards a response body after the headers arrived: the idle timeout (no bytes from the
 * network for N ms while the consumer is waiting for more), the minimum transfer rate
 * (`lowSpeed`, see low-speed.ts), cancellation and the overall deadline, which destroy the
 * body with a coded error. A consumer that is slow to read (full buffer), or our own bandwidth
 * throttle, is not the server's fault: both timers only count time spent waiting on the network.
 */
import type { IncomingMessage } from 'node:http';
import { TimeoutError } from './errors';
import { abortReasonOf } from './connector';
import {
  LowSpeedError,
  LowSpeedMeter,
  effectiveFloor,
  lowSpeedEnabled,
  lowSpeedTickMs,
} from './low-speed';
import type { LowSpeedLimit } from './types';

/** Options of {@link monitorBody}. */
export interface BodyMonitorOptions {
  idleMs: number;
  /** Minimum transfer rate; absent or a 0 field disables it. */
  lowSpeed?: LowSpeedLimit;
  /** Current bandwidth cap (bytes/s) pacing this body, or null; read at every tick. */
  bandwidthCap?: () => number | null;
  url: string;
  /** Operation signal (user cancel or total timeout); aborting destroys the body. */
  signal: AbortSignal;
  /** Called once when the body ended, failed or was destroyed. */
  onDone: () => void;
}

/** Attach idle/low-speed/abort guards to a response body. */
export function monitorBody(res: IncomingMessage, o: BodyMonitorOptions): void {
  const socket = res.socket;
  let last = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let finished = false;
  let stopLowSpeed = (): void => {};
  const onData = (): void => {
    last = Date.now();
  };
  const cleanup = (): void => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    stopLowSpeed();
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
  if (lowSpeedEnabled(o.lowSpeed)) stopLowSpeed = watchLowSpeed(res, o, o.lowSpeed);
}

/**
 * The low-speed watcher. Every tick it records how long we were waiting on the network and
 * how many bytes came in. WHY the pause events: when the body buffer is full (slow consumer,
 * or the throttle holding back), Node's HTTP parser pauses the socket and resumes it once
 * the buffer drains; that paused time is ours, not the server's, so it is subtracted. A tick
 * that ends with a full buffer counts as paused as a whole (same rule as the idle timer), in
 * case a pause was not signalled. Returns a function that stops the watcher.
 */
function watchLowSpeed(
  res: IncomingMessage,
  o: BodyMonitorOptions,
  limit: LowSpeedLimit,
): () => void {
  const socket = res.socket;
  const meter = new LowSpeedMeter(limit.windowMs);
  const tickMs = lowSpeedTickMs(limit.windowMs);
  let bytes = 0;
  let lastTick = Date.now();
  let pausedSince: number | null = socket?.isPaused() ? lastTick : null;
  let pausedMs = 0;
  const onData = (chunk: Buffer | string): void => {
    bytes += chunk.length;
  };
  const onPause = (): void => {
    if (pausedSince === null) pausedSince = Date.now();
  };
  const onResume = (): void => {
    if (pausedSince === null) return;
    pausedMs += Date.now() - pausedSince;
    pausedSince = null;
  };
  const tick = (): void => {
    if (res.complete || res.destroyed) return;
    const now = Date.now();
    const paused = pausedMs + (pausedSince === null ? 0 : now - pausedSince);
    if (pausedSince !== null) pausedSince = now;
    pausedMs = 0;
    const full = res.readableLength >= res.readableHighWaterMark;
    const active = full ? 0 : Math.max(0, now - lastTick - paused);
    lastTick = now;
    const received = bytes;
    bytes = 0;
    const floor = effectiveFloor(limit.bytesPerSecond, o.bandwidthCap?.() ?? null);
    if (meter.add(active, received, floor)) {
      res.destroy(
        new LowSpeedError({ bytesPerSecond: floor, windowMs: limit.windowMs }, meter.bytes, o.url),
      );
    }
  };
  socket?.on('data', onData);
  socket?.on('pause', onPause);
  socket?.on('resume', onResume);
  const interval = setInterval(tick, tickMs);
  return () => {
    clearInterval(interval);
    socket?.off('data', onData);
    socket?.off('pause', onPause);
    socket?.off('resume', onResume);
  };
}
