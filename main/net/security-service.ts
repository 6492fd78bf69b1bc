/**
 * The SecurityService of the core: the pin registry persisted to disk, live inspection, the
 * last ~50 connection facts and, per pinned host pattern, the outcome of its last check.
 *
 * Pins are written atomically and durably (temp file, fsync, rename, fsync dir) on every
 * registry change, whoever made it, so a crash never leaves a torn or pin-less file.
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import type { ConnectionFacts, PinnedHost } from '../../preload/contract';
import type { EventHub, SecurityService } from '../core/services';
import { writeFileAtomicSync } from '../util/atomic-write';
import { hostMatches } from './host-pattern';
import type { SecureClient } from './secure-client';
import type { PinnedCertificate } from './types';

/** Options of {@link createSecurityService}. */
export interface SecurityServiceOptions {
  client: SecureClient;
  /** JSON file holding the pins (created on first change). */
  pinsFile: string;
  events: EventHub;
  /** How many recent connections to keep (default 50). */
  recentLimit?: number;
}

/** The service plus a way to detach it from the client. */
export interface SecurityServiceHandle extends SecurityService {
  /** Stop listening to the client and the registry. */
  close(): void;
}

type LastCheck = NonNullable<PinnedHost['lastCheck']>;

interface PinsFile {
  version: 1;
  pins: PinnedCertificate[];
  lastCheck?: Record<string, LastCheck>;
}

function readPinsFile(path: string, events: EventHub): PinsFile | null {
  if (!existsSync(path)) return null;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as PinsFile;
    if (parsed?.version !== 1 || !Array.isArray(parsed.pins)) throw new Error('unexpected shape');
    return parsed;
  } catch (err) {
    // Keep the damaged file for inspection instead of silently overwriting it.
    const aside = `${path}.corrupt-${Date.now()}`;
    renameSync(path, aside);
    events.emit('app:notice', {
      level: 'error',
      code: 'ERR_STORE_CORRUPT',
      message: `The pins file was unreadable (${(err as Error).message}); it was moved to ${aside}. Re-add your pins.`,
      at: Date.now(),
    });
    return null;
  }
}

/** Create the security service over a SecureClient. */
export function createSecurityService(opts: SecurityServiceOptions): SecurityServiceHandle {
  const { client, pinsFile, events } = opts;
  const limit = opts.recentLimit ?? 50;
  const recent: ConnectionFacts[] = [];
  const lastCheck = new Map<string, LastCheck>();

  const loaded = readPinsFile(pinsFile, events);
  if (loaded) {
    const valid: PinnedCertificate[] = [];
    for (const entry of loaded.pins) {
      try {
        client.pins.add(entry);
        valid.push(entry);
      } catch {
        /* an invalid entry is dropped; the rest still protects */
      }
    }
    for (const [host, check] of Object.entries(loaded.lastCheck ?? {})) lastCheck.set(host, check);
  }

  const persist = (): void => {
    const file: PinsFile = {
      version: 1,
      pins: client.pins.list(),
      lastCheck: Object.fromEntries(lastCheck),
    };
    writeFileAtomicSync(pinsFile, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
  };

  const record = (host: string, check: LastCheck): void => {
    for (const entry of client.pins.list())
      if (hostMatches(entry.host, host)) lastCheck.set(entry.host, check);
  };

  const onConnection = (facts: ConnectionFacts): void => {
    recent.unshift(facts);
    if (recent.length > limit) recent.length = limit;
    if (facts.pinPolicy !== 'none' && facts.matchedPin) {
      record(facts.host, {
        at: facts.at,
        matched: true,
        matchedPin: facts.matchedPin.pin,
        certIndex: facts.matchedPin.certIndex,
        error: null,
      });
    }
    events.emit('security:connection', facts);
  };
  const onPinReport = (r: {
    host: string;
    matched: boolean;
    expected: string[];
    chain: string[];
    at: number;
    code: string | null;
  }): void => {
    record(r.host, { at: r.at, matched: false, matchedPin: null, certIndex: null, error: r.code });
    events.emit('security:pinReport', {
      host: r.host,
      matched: r.matched,
      expected: r.expected,
      chain: r.chain,
      at: r.at,
    });
  };
  const onFailure = (f: { host: string; code: string; at: number }): void => {
    record(f.host, { at: f.at, matched: false, matchedPin: null, certIndex: null, error: f.code });
  };

  client.on('connection', onConnection);
  client.on('pinReport', onPinReport);
  client.on('failure', onFailure);
  const offRegistry = client.pins.onChange(persist);

  const listPins = (): PinnedHost[] =>
    client.pins.list().map((e) => ({
      host: e.host,
      pins: e.publicKeyHashes.map((pin, i) => ({ pin, label: e.labels?.[i] ?? null })),
      expires: e.expires ?? null,
      reportOnly: e.reportOnly === true,
      subjectName: e.subjectName ?? null,
      issuer: e.issuer ?? null,
      lastCheck: lastCheck.get(e.host) ?? null,
    }));

  return {
    listPins,
    addPin(input) {
      const entry: PinnedCertificate = {
        host: input.host,
        publicKeyHashes: [input.pin],
        labels: [input.label ?? null],
      };
      if (input.expires !== undefined) entry.expires = input.expires;
      if (input.reportOnly !== undefined) entry.reportOnly = input.reportOnly;
      client.pins.add(entry);
      return listPins();
    },
    removePin(host, pin) {
      client.pins.remove(host, pin);
      return listPins();
    },
    inspect: (url) => client.inspect(url),
    recentConnections: () => structuredClone(recent),
    close() {
      client.off('connection', onConnection);
      client.off('pinReport', onPinReport);
      client.off('failure', onFailure);
      offRegistry();
    },
  };
}
