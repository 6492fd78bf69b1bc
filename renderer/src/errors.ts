/**
 * The renderer's one mapping from error payloads to words: the title and suggested action
 * come from the shared ERR_* catalogue (preload/error-codes.ts via describeErrorCode); the
 * detail adds the facts the error carries (HTTP status, timeout phase, pin counts).
 */
import type { ErrorPayload } from '../../preload/contract';
import { describeErrorCode } from '../../preload/error-codes';

/** Words for an error: what happened, the specifics, and what to do. */
export interface ErrorWords {
  code: string;
  title: string;
  detail: string;
  action: string;
}

/** A short fact from an error's details, e.g. "HTTP 503" or "phase connect after 15000 ms". */
export function detailFact(error: ErrorPayload): string | null {
  const d = error.details ?? {};
  if (error.code === 'ERR_HTTP_STATUS' && typeof d.status === 'number') return `HTTP ${d.status}`;
  if (error.code === 'ERR_TIMEOUT' && typeof d.phase === 'string')
    return `no progress in phase "${d.phase}"${typeof d.ms === 'number' ? ` for ${d.ms} ms` : ''}`;
  if (error.code === 'ERR_PIN_MISMATCH' && Array.isArray(d.chain) && Array.isArray(d.expected))
    return `none of ${d.expected.length} pinned key(s) matched the ${d.chain.length} presented certificate(s)`;
  if (error.code === 'ERR_NETWORK' && typeof d.syscallCode === 'string') return d.syscallCode;
  return null;
}

/** Title, detail and suggested action for an error payload. */
export function describeError(error: ErrorPayload): ErrorWords {
  const info = describeErrorCode(error.code);
  const fact = detailFact(error);
  // Main's messages can be multi-line (the pin failure lists the chain); the first line reads best.
  const first = error.message.split('\n')[0]!.trim();
  return {
    code: error.code,
    title: info.title,
    detail: fact && !first.includes(fact) ? `${first} (${fact})` : first,
    action: info.action,
  };
}
