/**
 * SecureClient: the one HTTPS client of the app, on node:https.
 *
 * Policy: TLS 1.3 minimum by default (never below 1.2), Node roots plus extra CAs, hostname
 * verification always on, SPKI pins matched against the VERIFIED chain on every request —
 * fresh, pooled or redirected — with no TLS session resumption. Retries with full-jitter
 * backoff on idempotent methods; per-phase timeouts; AbortSignal everywhere; keep-alive pool.
 *
 * EXTENSION POINTS (for revocation, client certificates, proxies and throttling — issue 4).
 * Register a {@link SecureClientPlugin} with `client.use(plugin)` (or `plugins` in the config):
 *  (a) `tlsOptionsFor(target, options)` → {id, options: {cert,key,pfx,passphrase,…}}: per-host
 *      TLS material (mTLS). The client builds and caches a SecureContext per contribution id and
 *      keeps pooled sockets with different ids apart.
 *      `dialerFor(target, options)` → Dialer {id, viaProxy, dial(signal)}: the route (an HTTP
 *      CONNECT tunnel). This is the "agent factory": instead of handing us a foreign Agent, a
 *      plugin returns the raw tunnel stream and the client runs TLS over it, so every trust,
 *      pin and post-handshake check applies through proxies unchanged (facts.viaProxy = true).
 *  (b) `checks: PostHandshakeCheck[]`: run once per new connection after the handshake and
 *      the built-in chain verification, before any request byte is sent, with
 *      {socket, chain: X509Certificate[] (verified, leaf first), target, policy, options,
 *      ocspStaple, facts, signal}. A check with `requestOCSP: true` makes the client ask for a
 *      staple (delivered as `ocspStaple`). Throw an AppError (ERR_CERT_REVOKED, ERR_OCSP_*) to
 *      refuse the connection; set `facts.ocsp` to report the outcome.
 *  (c) `wrapBody(body, {url, init, options, response})`: wrap the response body, e.g. for
 *      bandwidth throttling keyed by `init.throttle` / `options.bandwidthLimit`.
 *  (d) ConnectionFacts.ocsp defaults to `{ status: 'off', source: null, … }` (see ocspOff()).
 *  `onOptions(options)` is called after every `updateOptions`.
 *
 * Events: 'retry' (RetryEvent), 'connection' (ConnectionFacts, per request that passed its
 * checks), 'pinReport' (PinReport, per pin mismatch, enforced or report-only) and 'failure'
 * (ConnectionFailure, per request that failed a trust/pin check).
 */
import { EventEmitter } from 'node:events';
import * as https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import { createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';
import type { ConnectionFacts } from '../../preload/contract';
import { AppError } from '../errors';
import { connectSecure, abortReasonOf, type SocketState } from './connector';
import { monitorBody } from './body-monitor';
import { bandwidthCapOf } from './low-speed';
import { AbortedError, SecureConnectionError, TimeoutError } from './errors';
import type {
  ConnectionTarget,
  Dialer,
  PostHandshakeCheck,
  SecureClientPlugin,
  TlsContribution,
} from './extensions';
import { canonicalHost } from './host-pattern';
import { mergeOptions, resolveOptions, type ConnectionSecurityPatch } from './options';
import { checkPinPolicy, type PinCheckResult } from './pin-check';
import { PinRegistry, type EffectivePinPolicy } from './pin-registry';
import { normalizePin } from './pins';
import { planRedirect, REDIRECT_STATUSES } from './redirects';
import { classifyRetryable, TRUST_FAILURE_CODES } from './retry-classify';
import { computeRetryDelay } from './retry-delay';
import { CONNECT_KEY, POOL_KEY, SecureAgent } from './secure-agent';
import { mapConnectionError } from './tls-errors';
import { createClientCertPlugin } from './client-cert-plugin';
import { createRevocationPlugin } from './ocsp-plugin';
import { createProxyPlugin } from './proxy-plugin';
import { createThrottlePlugin } from './throttle-plugin';
import { buildTrustStore, type TrustStore } from './trust-store';
import type {
  ConnectionFailure,
  ConnectionSecurityOptions,
  PinReport,
  PoolStats,
  RetryEvent,
  SecureRequestInit,
  SecureResponse,
} from './types';

/** Event map of the client. */
export interface SecureClientEvents {
  retry: [RetryEvent];
  connection: [ConnectionFacts];
  pinReport: [PinReport];
  failure: [ConnectionFailure];
}

/** Construction options. */
export interface SecureClientConfig {
  options?: ConnectionSecurityPatch;
  plugins?: SecureClientPlugin[];
  /**
   * Install the built-in transport extras (client certificates, proxy, revocation, bandwidth
   * limits) after `plugins`, so the matching options work out of the box. Default true.
   */
  builtinPlugins?: boolean;
  /** Socket buffer size when a request does not give one (default 256 KiB). */
  defaultHighWaterMark?: number;
  /** Injected for tests. */
  random?: () => number;
}

/** What one request (one hop) is handed to the agent. */
interface ConnectContext {
  target: ConnectionTarget;
  timeouts: ConnectionSecurityOptions['timeouts'];
  signal: AbortSignal;
  dialer: Dialer | null;
  contribution: TlsContribution | null;
  policy: EffectivePinPolicy | null;
  highWaterMark: number;
}

/** The raw IncomingMessage behind each (possibly wrapped) body. */
const rawBodies = new WeakMap<Readable, IncomingMessage>();

/** Parse and check an https URL. */
export function parseHttpsUrl(input: string | URL): URL {
  let url: URL;
  try {
    url = new URL(String(input));
  } catch {
    throw new AppError('ERR_INVALID_URL', `Invalid URL: ${String(input).slice(0, 200)}`);
  }
  if (url.protocol !== 'https:')
    throw new AppError('ERR_INSECURE_URL', `Only https:// URLs are allowed (got ${url.protocol})`);
  return url;
}

/** One operation: user cancellation plus the overall `total` timeout, shared by all attempts. */
class Operation {
  private readonly controller = new AbortController();
  readonly signal = this.controller.signal;
  private timer: NodeJS.Timeout | undefined;
  private readonly onUserAbort = (): void => this.abort(new AbortedError());

  constructor(
    private readonly user: AbortSignal | undefined,
    totalMs: number,
    url: string,
  ) {
    if (user?.aborted) this.abort(new AbortedError());
    else user?.addEventListener('abort', this.onUserAbort, { once: true });
    if (totalMs > 0) {
      this.timer = setTimeout(() => this.abort(new TimeoutError('total', totalMs, url)), totalMs);
      this.timer.unref?.();
    }
  }

  abort(reason: AppError): void {
    if (!this.signal.aborted) this.controller.abort(reason);
  }

  throwIfAborted(): void {
    if (this.signal.aborted) throw abortReasonOf(this.signal);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.user?.removeEventListener('abort', this.onUserAbort);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortReasonOf(signal));
    const onAbort = (): void => {
      clearTimeout(t);
      reject(abortReasonOf(signal));
    };
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Throw away a response body we do not hand out (small ones are drained to keep the socket). */
function discard(body: Readable, headers: IncomingMessage['headers']): void {
  const len = Number(headers['content-length'] ?? NaN);
  if (Number.isFinite(len) && len <= 65_536) {
    body.on('error', () => {});
    body.resume();
  } else body.destroy();
}

/** The secure HTTPS client. */
export class SecureClient extends EventEmitter<SecureClientEvents> {
  /** Runtime pin registry: changes apply to the very next request. */
  readonly pins: PinRegistry;
  private opts: ConnectionSecurityOptions;
  private trust: TrustStore;
  private agent: SecureAgent;
  private readonly retired = new Set<SecureAgent>();
  private contexts = new Map<string, SecureContext>();
  private readonly plugins: SecureClientPlugin[] = [];
  private readonly sockets = new WeakMap<TLSSocket, SocketState>();
  private readonly random: () => number;
  private readonly defaultHwm: number;
  private closed = false;

  constructor(config: SecureClientConfig = {}) {
    super();
    this.opts = resolveOptions(config.options);
    this.pins = new PinRegistry(this.opts.pins);
    this.trust = buildTrustStore(this.opts);
    this.random = config.random ?? Math.random;
    this.defaultHwm = config.defaultHighWaterMark ?? 256 * 1024;
    this.agent = this.createAgent();
    for (const p of config.plugins ?? []) this.plugins.push(p);
    if (config.builtinPlugins !== false) {
      this.plugins.push(
        createClientCertPlugin(),
        createProxyPlugin(),
        createRevocationPlugin(),
        createThrottlePlugin(),
      );
    }
    // Let plugins validate their options now (client certificates, CRL files, proxy URL).
    for (const p of this.plugins) p.onOptions?.(this.options);
  }

  /** A copy of the current options (pins as currently registered). */
  get options(): ConnectionSecurityOptions {
    return { ...structuredClone(this.opts), pins: this.pins.list() };
  }

  /** Register a plugin; returns a function that unregisters it. */
  use(plugin: SecureClientPlugin): () => void {
    this.plugins.push(plugin);
    this.resetContexts();
    return () => {
      const i = this.plugins.indexOf(plugin);
      if (i >= 0) this.plugins.splice(i, 1);
      this.resetContexts();
    };
  }

  /**
   * Change options live. Timeouts, retry, redirects and bandwidth apply to the next request;
   * trust (CAs, TLS minimum) and pool changes retire the pool so no socket made under the old
   * policy is reused. `pins`, when given, replaces the registry.
   */
  updateOptions(patch: ConnectionSecurityPatch): ConnectionSecurityOptions {
    const next = mergeOptions({ ...this.opts, pins: this.pins.list() }, patch);
    const trustChanged =
      JSON.stringify([
        next.caFiles,
        next.ca,
        next.useSystemRoots,
        next.minTlsVersion,
        next.clientCertificates,
        next.revocation,
        next.revocationHosts,
        next.crlFiles,
        next.ocspFallback,
      ]) !==
      JSON.stringify([
        this.opts.caFiles,
        this.opts.ca,
        this.opts.useSystemRoots,
        this.opts.minTlsVersion,
        this.opts.clientCertificates,
        this.opts.revocation,
        this.opts.revocationHosts,
        this.opts.crlFiles,
        this.opts.ocspFallback,
      ]);
    const routeChanged =
      JSON.stringify([next.pool, next.proxy, next.proxyFromEnv, next.resolve]) !==
      JSON.stringify([this.opts.pool, this.opts.proxy, this.opts.proxyFromEnv, this.opts.resolve]);
    const trust = trustChanged ? buildTrustStore(next) : this.trust;
    if (patch.pins) this.pins.replace(next.pins);
    this.opts = next;
    this.trust = trust;
    if (trustChanged || routeChanged) {
      this.resetContexts();
      this.retireAgent();
    }
    for (const p of this.plugins) p.onOptions?.(this.options);
    return this.options;
  }

  /** Pool counters (sockets created, reused, active, idle, pending). */
  poolStats(): PoolStats {
    const s = this.agent.stats();
    for (const a of this.retired) {
      const r = a.stats();
      s.created += r.created;
      s.reused += r.reused;
      s.active += r.active;
      s.idle += r.idle;
      s.pending += r.pending;
    }
    return s;
  }

  /** GET a URL. */
  get(url: string | URL, init: Omit<SecureRequestInit, 'method'> = {}): Promise<SecureResponse> {
    return this.request(url, { ...init, method: 'GET' });
  }

  /** HEAD a URL. */
  head(url: string | URL, init: Omit<SecureRequestInit, 'method'> = {}): Promise<SecureResponse> {
    return this.request(url, { ...init, method: 'HEAD' });
  }

  /**
   * Connect to `url` under the full policy and return the connection facts (a HEAD request,
   * no retries). Pin failures throw PinMismatchError whose details list the chain.
   */
  async inspect(
    url: string | URL,
    init: { signal?: AbortSignal; pins?: string[] } = {},
  ): Promise<ConnectionFacts> {
    const res = await this.request(url, {
      method: 'HEAD',
      retry: false,
      maxRedirects: 0,
      signal: init.signal,
      pins: init.pins,
    });
    res.body.resume();
    return res.facts;
  }

  /**
   * Make a request. Resolves once headers arrive (after redirects and retries); the body is
   * the raw response stream, still guarded by the idle/total timeouts and the signal.
   * Non-2xx statuses resolve normally; only connection-level failures reject.
   */
  async request(input: string | URL, init: SecureRequestInit = {}): Promise<SecureResponse> {
    if (this.closed) throw new AppError('ERR_INTERNAL', 'The secure client is closed');
    const url = parseHttpsUrl(input);
    const method = (init.method ?? 'GET').toUpperCase();
    const extraPins = (init.pins ?? []).map(normalizePin);
    const timeouts = { ...this.opts.timeouts, ...init.timeouts };
    const op = new Operation(init.signal, timeouts.total, url.origin);
    try {
      op.throwIfAborted();
      const res = await this.withRetries(url, method, init, extraPins, op);
      // The operation (signal + total timeout) lives until the body is done.
      const raw = rawBodies.get(res.body);
      if (!raw || raw.destroyed || raw.readableEnded) op.dispose();
      else {
        const done = (): void => op.dispose();
        raw.once('end', done);
        raw.once('close', done);
        raw.once('error', done);
      }
      return res;
    } catch (err) {
      op.dispose();
      throw err;
    }
  }

  /** Close the pool; in-flight requests fail, later requests are refused. */
  async close(): Promise<void> {
    this.closed = true;
    this.agent.destroy();
    for (const a of this.retired) a.destroy();
    this.retired.clear();
  }

  // ---------------------------------------------------------------------------------------

  private createAgent(): SecureAgent {
    return new SecureAgent(this.opts.pool, (options) => this.openSocket(options));
  }

  private retireAgent(): void {
    const old = this.agent;
    this.agent = this.createAgent();
    old.retire();
    this.retired.add(old);
    const prune = (): void => {
      const s = old.stats();
      if (s.active + s.idle + s.pending === 0) {
        old.destroy();
        this.retired.delete(old);
      } else setTimeout(prune, 1000).unref();
    };
    setTimeout(prune, 1000).unref();
  }

  private resetContexts(): void {
    this.contexts = new Map();
  }

  private secureContextFor(contribution: TlsContribution | null): SecureContext {
    const key = contribution?.id ?? '';
    let ctx = this.contexts.get(key);
    if (!ctx) {
      ctx = createSecureContext({
        ca: this.trust.ca,
        minVersion: this.opts.minTlsVersion,
        ...(contribution?.options ?? {}),
      });
      this.contexts.set(key, ctx);
    }
    return ctx;
  }

  private async openSocket(options: Record<string, unknown>): Promise<TLSSocket> {
    const ctx = options[CONNECT_KEY] as ConnectContext | undefined;
    if (!ctx) throw new AppError('ERR_INTERNAL', 'Request was not prepared by the secure client');
    const checks: PostHandshakeCheck[] = this.plugins.flatMap((p) => p.checks ?? []);
    const { socket, state } = await connectSecure({
      target: ctx.target,
      secureContext: this.secureContextFor(ctx.contribution),
      trust: this.trust,
      options: this.opts,
      timeouts: ctx.timeouts,
      signal: ctx.signal,
      dialer: ctx.dialer,
      checks,
      policy: ctx.policy,
      highWaterMark: ctx.highWaterMark,
    });
    this.sockets.set(socket, state);
    return socket;
  }

  private async withRetries(
    url: URL,
    method: string,
    init: SecureRequestInit,
    extraPins: string[],
    op: Operation,
  ): Promise<SecureResponse> {
    const retry =
      init.retry === false
        ? { ...this.opts.retry, maxAttempts: 1 }
        : { ...this.opts.retry, ...init.retry };
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      let res: SecureResponse | null = null;
      let error: unknown = null;
      try {
        res = await this.followRedirects(url, method, init, extraPins, op);
      } catch (err) {
        if (op.signal.aborted) throw abortReasonOf(op.signal);
        error = err;
      }
      const verdict =
        res !== null
          ? classifyRetryable({ method, status: res.status })
          : classifyRetryable({ method, error });
      const giveUp = (): SecureResponse => {
        if (res) return res;
        throw error;
      };
      if (!verdict.retryable || attempt >= retry.maxAttempts) return giveUp();
      const retryAfter = res?.headers['retry-after'];
      const delayMs = computeRetryDelay({
        retry: attempt,
        initialDelayMs: retry.initialDelayMs,
        maxDelayMs: retry.maxDelayMs,
        retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
        maxRetryAfterMs: retry.maxRetryAfterMs,
        now: Date.now(),
        random: this.random,
      });
      if (retry.deadlineMs > 0 && Date.now() - started + delayMs > retry.deadlineMs)
        return giveUp();
      if (res) discard(res.body, res.headers);
      this.emit('retry', {
        url: url.href,
        attempt: attempt + 1,
        delayMs,
        reason: verdict.reason,
        code: verdict.code,
        status: verdict.status,
      });
      await sleep(delayMs, op.signal);
    }
  }

  private async followRedirects(
    start: URL,
    method: string,
    init: SecureRequestInit,
    extraPins: string[],
    op: Operation,
  ): Promise<SecureResponse> {
    const maxRedirects = Math.min(
      init.maxRedirects ?? this.opts.maxRedirects,
      this.opts.maxRedirects,
    );
    let url = start;
    let headers: Record<string, string> = {
      'user-agent': this.opts.userAgent,
      ...(init.headers ?? {}),
    };
    const startHost = canonicalHost(start.hostname);
    let originPinned = false;
    for (let hops = 0; ; hops++) {
      const host = canonicalHost(url.hostname);
      // Per-request pins belong to the origin host; other hosts use the registry only.
      const policy = this.pins.policyFor(host, host === startHost ? extraPins : []);
      if (hops === 0) originPinned = policy?.enforced === true;
      else if (originPinned && !policy?.enforced) {
        // A pinned download must not be bounced to a host nobody pinned.
        const err = new SecureConnectionError(
          'ERR_REDIRECT_INSECURE',
          `Refused redirect from pinned host ${startHost} to unpinned host ${host}; pin ${host} too if it is trusted`,
          { details: { from: startHost, to: host } },
        );
        this.emitFailure(url, err);
        throw err;
      }
      const res = await this.exchange(url, method, headers, init, policy, op);
      const location = res.headers.location;
      if (!REDIRECT_STATUSES.has(res.status) || !location) return res;
      let plan;
      try {
        plan = planRedirect(url, location, headers, hops, maxRedirects);
      } catch (err) {
        discard(res.body, res.headers);
        if (err instanceof AppError) this.emitFailure(url, err);
        throw err;
      }
      discard(res.body, res.headers);
      url = plan.url;
      headers = plan.headers;
    }
  }

  private evaluatePins(
    url: URL,
    host: string,
    state: SocketState,
    policy: EffectivePinPolicy | null,
  ): PinCheckResult {
    const result = checkPinPolicy(host, state.entries, policy);
    if (result.error && policy) {
      this.emit('pinReport', {
        host,
        url: url.href,
        matched: false,
        enforced: result.blocking,
        expected: policy.pins,
        chain: state.entries.map((e) => e.pin),
        code: result.error.code,
        message: result.error.message,
        at: Date.now(),
      });
    }
    return result;
  }

  private emitFailure(url: URL, err: AppError): void {
    if (!TRUST_FAILURE_CODES.has(err.code)) return;
    this.emit('failure', {
      url: url.href,
      host: canonicalHost(url.hostname),
      code: err.code,
      message: err.message,
      at: Date.now(),
    });
  }

  private factsFor(url: URL, state: SocketState, pin: PinCheckResult): ConnectionFacts {
    return {
      url: url.href,
      host: canonicalHost(url.hostname),
      port: Number(url.port || 443),
      remoteAddress: state.remoteAddress,
      tlsVersion: state.tlsVersion,
      cipher: state.cipher,
      alpn: state.alpn,
      chain: structuredClone(state.infos),
      matchedPin: pin.matchedPin,
      pinPolicy: pin.policy,
      ocsp: { ...state.ocsp },
      viaProxy: state.viaProxy,
      at: Date.now(),
    };
  }

  /** One HTTP exchange on one hop. */
  private exchange(
    url: URL,
    method: string,
    headers: Record<string, string>,
    init: SecureRequestInit,
    policy: EffectivePinPolicy | null,
    op: Operation,
  ): Promise<SecureResponse> {
    const timeouts = { ...this.opts.timeouts, ...init.timeouts };
    const target: ConnectionTarget = {
      host: canonicalHost(url.hostname),
      port: Number(url.port || 443),
      url,
    };
    const contribution = this.firstOf((p) => p.tlsOptionsFor?.(target, this.opts) ?? null);
    const dialer = this.firstOf((p) => p.dialerFor?.(target, this.opts) ?? null);
    const highWaterMark = init.highWaterMark ?? this.defaultHwm;
    const attempt = new AbortController();
    const ctx: ConnectContext = {
      target,
      timeouts,
      signal: attempt.signal,
      dialer,
      contribution,
      policy,
      highWaterMark,
    };

    return new Promise<SecureResponse>((resolve, reject) => {
      let settled = false;
      let headersTimer: NodeJS.Timeout | undefined;
      let facts: ConnectionFacts | null = null;
      const onOpAbort = (): void => fail(abortReasonOf(op.signal));
      const cleanup = (): void => {
        clearTimeout(headersTimer);
        op.signal.removeEventListener('abort', onOpAbort);
      };
      const fail = (raw: unknown): void => {
        if (settled) return;
        settled = true;
        cleanup();
        const err = mapConnectionError(raw, target.host, this.opts.minTlsVersion);
        attempt.abort(err);
        req.destroy(err);
        this.emitFailure(url, err);
        reject(err);
      };

      const req = https.request({
        method,
        host: target.host,
        port: target.port,
        path: `${url.pathname}${url.search}`,
        headers,
        agent: this.agent,
        servername: isIP(target.host) ? undefined : target.host,
        [POOL_KEY]: `${contribution?.id ?? ''}|${dialer?.id ?? ''}|${highWaterMark}`,
        [CONNECT_KEY]: ctx,
      } as https.RequestOptions);

      req.on('socket', (sock) => {
        const socket = sock as TLSSocket;
        const state = this.sockets.get(socket);
        if (!state) {
          fail(
            new AppError(
              'ERR_INTERNAL',
              'Refusing a socket that did not pass the secure connector',
            ),
          );
          return;
        }
        if (req.reusedSocket) (this.agentOf(socket) ?? this.agent).reused++;
        // Pins are evaluated per request, on pooled sockets too, against the policy as it is
        // NOW. 'socket' fires before the request is flushed, so a refused socket never sees
        // a byte of this request.
        const pin = this.evaluatePins(url, target.host, state, policy);
        if (pin.error && pin.blocking) {
          fail(pin.error);
          return;
        }
        facts = this.factsFor(url, state, pin);
        this.emit('connection', facts);
        if (timeouts.responseHeaders > 0) {
          headersTimer = setTimeout(
            () => fail(new TimeoutError('responseHeaders', timeouts.responseHeaders, url.origin)),
            timeouts.responseHeaders,
          );
        }
      });

      req.on('response', (res) => {
        if (settled || !facts) {
          res.destroy();
          return;
        }
        settled = true;
        cleanup();
        monitorBody(res, {
          idleMs: timeouts.idle,
          lowSpeed: timeouts.lowSpeed,
          bandwidthCap: () => bandwidthCapOf(this.opts.bandwidthLimit, init.throttle),
          url: url.origin,
          signal: op.signal,
          onDone: () => {},
        });
        let body: Readable = res;
        for (const p of this.plugins) {
          if (p.wrapBody)
            body = p.wrapBody(body, { url: url.href, init, options: this.opts, response: res });
        }
        rawBodies.set(body, res);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, url: url.href, body, facts });
      });

      req.on('error', (err) => fail(err));
      if (op.signal.aborted) {
        fail(abortReasonOf(op.signal));
        return;
      }
      op.signal.addEventListener('abort', onOpAbort, { once: true });
      req.end();
    });
  }

  private agentOf(socket: TLSSocket): SecureAgent | null {
    const all = [this.agent, ...this.retired];
    for (const a of all) {
      const lists = Object.values((a as unknown as { sockets: Record<string, unknown[]> }).sockets);
      if (lists.some((l) => l.includes(socket))) return a;
    }
    return null;
  }

  private firstOf<T>(pick: (p: SecureClientPlugin) => T | null): T | null {
    for (const p of this.plugins) {
      const v = pick(p);
      if (v) return v;
    }
    return null;
  }
}
