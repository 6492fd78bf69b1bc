/**
 * The runtime pin registry. Entries are normalised when added (so a malformed pin fails at
 * configuration time with ERR_INVALID_PIN), and `policyFor(host)` is evaluated on every
 * request, so adding or removing a pin takes effect on the very next connection.
 */
import { InvalidArgumentError, NotFoundError } from '../errors';
import { hostMatches, normalizeHostPattern } from './host-pattern';
import { normalizePin } from './pins';
import { normalizeDn } from './distinguished-name';
import type { PinnedCertificate } from './types';

/** The pin policy that applies to one host, merged from every matching entry (OkHttp style). */
export interface EffectivePinPolicy {
  host: string;
  /** Patterns of the entries that matched. */
  patterns: string[];
  /** Union of the pins of all matching entries. */
  pins: string[];
  /** False only when every matching entry is report-only. */
  enforced: boolean;
  /** Leaf subject / issuer rules from the matching entries (all must hold). */
  subjectRules: string[];
  issuerRules: string[];
  /** The earliest expiry among the matching entries whose pin set has expired, if any. */
  expired: { pattern: string; expires: string; reportOnly: boolean } | null;
}

/** Validate and normalise one pinned-certificate entry. */
export function normalizePinnedCertificate(entry: PinnedCertificate): PinnedCertificate {
  const host = normalizeHostPattern(entry.host);
  if (!Array.isArray(entry.publicKeyHashes) || entry.publicKeyHashes.length === 0) {
    throw new InvalidArgumentError(`Pin entry for ${host} has no public key hashes`);
  }
  const publicKeyHashes = entry.publicKeyHashes.map(normalizePin);
  if (entry.expires !== undefined && Number.isNaN(Date.parse(entry.expires))) {
    throw new InvalidArgumentError(
      `Pin entry for ${host} has an invalid expiry "${entry.expires}"`,
    );
  }
  const out: PinnedCertificate = { host, publicKeyHashes };
  if (entry.labels) out.labels = publicKeyHashes.map((_, i) => entry.labels?.[i] ?? null);
  if (entry.subjectName) out.subjectName = normalizeDn(entry.subjectName);
  if (entry.issuer) out.issuer = normalizeDn(entry.issuer);
  if (entry.expires) out.expires = new Date(entry.expires).toISOString();
  if (entry.reportOnly !== undefined) out.reportOnly = entry.reportOnly === true;
  return out;
}

/** A mutable, validated set of pinned hosts. */
export class PinRegistry {
  private entries: PinnedCertificate[] = [];
  private listeners = new Set<() => void>();

  constructor(initial: PinnedCertificate[] = []) {
    this.replace(initial);
  }

  /** A deep copy of all entries. */
  list(): PinnedCertificate[] {
    return structuredClone(this.entries);
  }

  /** Replace every entry (validated first; on error nothing changes). */
  replace(entries: PinnedCertificate[]): void {
    const next = entries.map(normalizePinnedCertificate);
    const merged: PinnedCertificate[] = [];
    for (const e of next) {
      const same = merged.find((m) => m.host === e.host);
      if (same) mergeInto(same, e);
      else merged.push(e);
    }
    this.entries = merged;
    this.changed();
  }

  /**
   * Add pins for a host pattern. Pins join an existing entry for the same pattern; the
   * optional attributes given here (expiry, reportOnly, rules) replace that entry's.
   */
  add(entry: PinnedCertificate): PinnedCertificate[] {
    const e = normalizePinnedCertificate(entry);
    const existing = this.entries.find((m) => m.host === e.host);
    if (existing) mergeInto(existing, e);
    else this.entries.push(e);
    this.changed();
    return this.list();
  }

  /** Remove one pin of a pattern (the entry goes when its last pin does); ERR_NOT_FOUND if absent. */
  remove(hostPattern: string, pin: string): PinnedCertificate[] {
    const host = normalizeHostPattern(hostPattern);
    const p = normalizePin(pin);
    const entry = this.entries.find((m) => m.host === host);
    const idx = entry ? entry.publicKeyHashes.indexOf(p) : -1;
    if (!entry || idx < 0) throw new NotFoundError(`No pin ${p} for ${host}`);
    entry.publicKeyHashes.splice(idx, 1);
    entry.labels?.splice(idx, 1);
    if (entry.publicKeyHashes.length === 0) this.entries = this.entries.filter((m) => m !== entry);
    this.changed();
    return this.list();
  }

  /** Remove every pin of a pattern; returns whether it existed. */
  removeHost(hostPattern: string): boolean {
    const host = normalizeHostPattern(hostPattern);
    const before = this.entries.length;
    this.entries = this.entries.filter((m) => m.host !== host);
    if (this.entries.length !== before) this.changed();
    return this.entries.length !== before;
  }

  /** Subscribe to changes; returns an unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The policy for `host`, or null when nothing pins it. `extraPins` (already normalised)
   * are per-request pins, enforced in addition to (unioned with) the registry's.
   */
  policyFor(host: string, extraPins: string[] = [], now = Date.now()): EffectivePinPolicy | null {
    const matching = this.entries.filter((e) => hostMatches(e.host, host));
    if (matching.length === 0 && extraPins.length === 0) return null;
    const pins = new Set<string>(extraPins);
    let expired: EffectivePinPolicy['expired'] = null;
    for (const e of matching) {
      for (const p of e.publicKeyHashes) pins.add(p);
      if (e.expires && Date.parse(e.expires) <= now) {
        // An enforced expired entry outranks a report-only one: it is the one that blocks.
        if (!expired || (expired.reportOnly && !e.reportOnly)) {
          expired = { pattern: e.host, expires: e.expires, reportOnly: e.reportOnly === true };
        }
      }
    }
    return {
      host,
      patterns: matching.map((e) => e.host),
      pins: [...pins],
      enforced: extraPins.length > 0 || matching.some((e) => !e.reportOnly),
      subjectRules: matching.flatMap((e) => (e.subjectName ? [e.subjectName] : [])),
      issuerRules: matching.flatMap((e) => (e.issuer ? [e.issuer] : [])),
      expired,
    };
  }

  private changed(): void {
    for (const l of [...this.listeners]) l();
  }
}

function mergeInto(target: PinnedCertificate, add: PinnedCertificate): void {
  add.publicKeyHashes.forEach((p, i) => {
    const at = target.publicKeyHashes.indexOf(p);
    const label = add.labels?.[i] ?? null;
    if (at < 0) {
      target.publicKeyHashes.push(p);
      if (target.labels || label !== null) {
        target.labels = target.labels ?? target.publicKeyHashes.slice(0, -1).map(() => null);
        target.labels.push(label);
      }
    } else if (label !== null) {
      target.labels = target.labels ?? target.publicKeyHashes.map(() => null);
      target.labels[at] = label;
    }
  });
  if (add.expires !== undefined) target.expires = add.expires;
  if (add.reportOnly !== undefined) target.reportOnly = add.reportOnly;
  if (add.subjectName !== undefined) target.subjectName = add.subjectName;
  if (add.issuer !== undefined) target.issuer = add.issuer;
}
