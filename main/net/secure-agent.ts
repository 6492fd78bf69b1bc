/**
 * The keep-alive connection pool: an https.Agent whose sockets are created by the secure
 * connector (asynchronously, after every trust check) and never resume TLS sessions.
 *
 * Node's Agent counts a socket against maxSockets only once createConnection calls back, so
 * with an asynchronous creator a burst could overshoot the limits. A placeholder stands in
 * the agent's books while a connection is being set up, and is removed through the agent's
 * own removeSocket so queued requests are served exactly as Node would.
 */
import * as https from 'node:https';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import type { PoolOptions, PoolStats } from './types';

/** Request option keys the client uses to talk to its agent. */
export const POOL_KEY = '_llmPoolKey';
export const CONNECT_KEY = '_llmConnect';

/** Creates one verified socket for the request options it is given. */
export type SocketFactory = (options: Record<string, unknown>) => Promise<TLSSocket>;

type Callback = (err: Error | null, socket?: Duplex) => void;

const PLACEHOLDER = Symbol('connecting');

interface Placeholder {
  [PLACEHOLDER]: true;
  writable: false;
  destroyed: false;
  destroy(): void;
}

/** The pooled agent with counters. */
export class SecureAgent extends https.Agent {
  /** Sockets successfully created (each a full TLS handshake). */
  created = 0;
  /** Requests served on a reused socket (counted by the client). */
  reused = 0;
  private readonly factory: SocketFactory;

  constructor(pool: PoolOptions, factory: SocketFactory) {
    super({
      keepAlive: true,
      maxSockets: pool.maxSocketsPerHost,
      maxTotalSockets: pool.maxTotalSockets,
      maxFreeSockets: pool.maxFreeSockets,
      timeout: pool.idleSocketTimeoutMs || undefined,
      // Resumed sessions skip certificate checks; never cache them.
      maxCachedSessions: 0,
      scheduling: 'lifo',
    });
    this.factory = factory;
  }

  /** Pool key: Node's name plus our key (TLS contribution, route, buffer size). */
  override getName(options: https.RequestOptions = {}): string {
    const extra = (options as Record<string, unknown>)[POOL_KEY];
    return `${super.getName(options)}|${typeof extra === 'string' ? extra : ''}`;
  }

  override createConnection(options: Record<string, unknown>, cb: Callback): undefined {
    const agent = this as unknown as {
      sockets: Record<string, unknown[]>;
      totalSocketCount: number;
      removeSocket(s: unknown, o: unknown): void;
    };
    const name = options._agentKey as string;
    const placeholder: Placeholder = {
      [PLACEHOLDER]: true,
      writable: false,
      destroyed: false,
      destroy() {},
    };
    (agent.sockets[name] ??= []).push(placeholder);
    agent.totalSocketCount++;
    const drop = (): void => {
      agent.totalSocketCount--;
      const list = agent.sockets[name];
      const i = list ? list.indexOf(placeholder) : -1;
      if (i >= 0) list.splice(i, 1);
      if (list && list.length === 0) delete agent.sockets[name];
    };
    this.factory(options).then(
      (socket) => {
        // The real socket takes the placeholder's slot: no room was freed, so do not let
        // removeSocket start a connection for a queued request.
        drop();
        this.created++;
        cb(null, socket);
      },
      (err: Error) => {
        // The slot is free again: removeSocket serves the queue exactly as after a close.
        agent.totalSocketCount--;
        agent.removeSocket(placeholder, options);
        cb(err);
      },
    );
    return undefined;
  }

  /** Current counters. */
  stats(): PoolStats {
    const self = this as unknown as {
      sockets: Record<string, unknown[]>;
      freeSockets: Record<string, unknown[]>;
      requests: Record<string, unknown[]>;
    };
    const count = (
      m: Record<string, unknown[]>,
      pred: (s: unknown) => boolean = () => true,
    ): number => Object.values(m).reduce((n, list) => n + list.filter(pred).length, 0);
    return {
      created: this.created,
      reused: this.reused,
      active: count(self.sockets, (s) => !(s as Placeholder)[PLACEHOLDER]),
      idle: count(self.freeSockets),
      pending: count(self.requests),
    };
  }

  /** Destroy idle sockets now and every socket as soon as it becomes free (for retirement). */
  retire(): void {
    this.on('free', (socket: Duplex) => socket.destroy());
    const free = (this as unknown as { freeSockets: Record<string, Duplex[]> }).freeSockets;
    for (const list of Object.values(free)) for (const s of [...list]) s.destroy();
  }
}
