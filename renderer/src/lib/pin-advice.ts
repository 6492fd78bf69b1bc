/** Advice about pin sets: backup pins, matches, and the facts of a pin-mismatch error. Pure. */
import type { ConnectionFacts, ErrorPayload, PinnedHost } from '../../../preload/contract';

/** One certificate of a presented chain as listed by a pin failure. */
export interface PresentedPin {
  index: number;
  subject: string;
  issuer: string;
  pin: string;
}

/** The facts of an ERR_PIN_MISMATCH error, from its `details`. */
export interface PinMismatchFacts {
  host: string;
  expected: string[];
  chain: PresentedPin[];
}

/** Read the presented chain and expected pins out of a pin-mismatch error, or null. */
export function pinMismatchFacts(error: ErrorPayload | null | undefined): PinMismatchFacts | null {
  if (!error || error.code !== 'ERR_PIN_MISMATCH' || !error.details) return null;
  const d = error.details as Record<string, unknown>;
  const host = typeof d.host === 'string' ? d.host : '';
  const expected = Array.isArray(d.expected)
    ? d.expected.filter((p): p is string => typeof p === 'string')
    : [];
  const chain = Array.isArray(d.chain)
    ? d.chain.flatMap((c, i): PresentedPin[] => {
        if (typeof c === 'string') return [{ index: i, subject: '', issuer: '', pin: c }];
        if (!c || typeof c !== 'object') return [];
        const o = c as Record<string, unknown>;
        if (typeof o.pin !== 'string') return [];
        return [
          {
            index: typeof o.index === 'number' ? o.index : i,
            subject: typeof o.subject === 'string' ? o.subject : '',
            issuer: typeof o.issuer === 'string' ? o.issuer : '',
            pin: o.pin,
          },
        ];
      })
    : [];
  return { host, expected, chain };
}

/** Does a host pattern (`host`, `*.domain`, `**.domain`) cover `hostname`? */
export function hostPatternMatches(pattern: string, hostname: string): boolean {
  const p = pattern.toLowerCase();
  const h = hostname.toLowerCase();
  if (p.startsWith('**.')) return h.endsWith(p.slice(2)) && h.length > p.length - 2;
  if (p.startsWith('*.')) {
    const rest = p.slice(1);
    return (
      h.endsWith(rest) &&
      !h.slice(0, h.length - rest.length).includes('.') &&
      h.length > rest.length
    );
  }
  return p === h;
}

/** The pinned entry covering `hostname`, exact entries first. */
export function pinnedEntryFor(pins: PinnedHost[], hostname: string): PinnedHost | null {
  return (
    pins.find((p) => p.host.toLowerCase() === hostname.toLowerCase()) ??
    pins.find((p) => hostPatternMatches(p.host, hostname)) ??
    null
  );
}

/**
 * How many pins `host` would have after adding `pin` (or removing it), and a warning when
 * that leaves fewer than two: with a single pin, a routine key rotation locks the app out.
 */
export function backupPinWarning(
  pins: PinnedHost[],
  host: string,
  change: { add?: string; remove?: string },
): { count: number; warning: string | null } {
  const current = new Set(pins.find((p) => p.host === host)?.pins.map((p) => p.pin) ?? []);
  if (change.add) current.add(change.add);
  if (change.remove) current.delete(change.remove);
  const count = current.size;
  if (count === 0) return { count, warning: null };
  if (count < 2)
    return {
      count,
      warning: `${host} would have only ${count} pin and no backup pin. If that key is rotated, downloads from ${host} fail until the pin is updated. Pin a backup key too (for example the issuing CA's key).`,
    };
  return { count, warning: null };
}

/** Which pin of the set matched which certificate of an inspected chain, if any. */
export function matchedPinIndex(facts: ConnectionFacts, pinned: PinnedHost | null): number | null {
  if (facts.matchedPin) return facts.matchedPin.certIndex;
  if (!pinned) return null;
  const set = new Set(pinned.pins.map((p) => p.pin));
  const i = facts.chain.findIndex((c) => set.has(c.spkiPin));
  return i >= 0 ? i : null;
}
