/**
 * Pure parsing of the headers that make resuming safe: `Content-Range` (RFC 9110 §14.4)
 * and the validator sent back in `If-Range` (§13.1.5). A strong ETag is preferred; a weak
 * one is never usable with If-Range, so Last-Modified is the fallback.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { RangeInvalidError } from './errors';

/** A parsed `Content-Range: bytes start-end/total` (end inclusive; total null for `*`). */
export interface ContentRange {
  start: number;
  end: number;
  total: number | null;
}

/** What identifies one version of the resource across requests. */
export interface ResourceValidator {
  etag: string | null;
  lastModified: string | null;
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Parse a byte Content-Range; null when absent or malformed. */
export function parseContentRange(value: string | undefined): ContentRange | null {
  if (!value) return null;
  const match = /^\s*bytes\s+(\d{1,16})-(\d{1,16})\/(\d{1,16}|\*)\s*$/i.exec(value);
  if (!match) return null;
  const start = Number(match[1]);
  const end = Number(match[2]);
  const total = match[3] === '*' ? null : Number(match[3]);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) return null;
  if (total !== null && (!Number.isSafeInteger(total) || end >= total)) return null;
  return { start, end, total };
}

/** Parse Content-Length; null when absent or not a plain non-negative integer. */
export function parseContentLength(headers: IncomingHttpHeaders): number | null {
  const value = headerValue(headers, 'content-length');
  if (value === undefined || !/^\d{1,16}$/.test(value.trim())) return null;
  const n = Number(value.trim());
  return Number.isSafeInteger(n) ? n : null;
}

/** The validator of a response: a strong ETag and/or Last-Modified. */
export function validatorOf(headers: IncomingHttpHeaders): ResourceValidator {
  const etag = headerValue(headers, 'etag')?.trim() ?? null;
  const lastModified = headerValue(headers, 'last-modified')?.trim() ?? null;
  return { etag: etag && !etag.startsWith('W/') ? etag : null, lastModified: lastModified || null };
}

/** The If-Range value for a validator: the strong ETag, else Last-Modified, else null. */
export function ifRangeValue(validator: ResourceValidator): string | null {
  return validator.etag ?? validator.lastModified ?? null;
}

/**
 * Whether a response still describes the same version. Only validators the response
 * actually carries are compared; a server that drops the header is judged by If-Range.
 */
export function sameVersion(known: ResourceValidator, headers: IncomingHttpHeaders): boolean {
  const now = validatorOf(headers);
  const rawEtag = headerValue(headers, 'etag')?.trim();
  if (known.etag !== null && rawEtag !== undefined && rawEtag !== known.etag) return false;
  if (known.etag === null && known.lastModified !== null && now.lastModified !== null) {
    return now.lastModified === known.lastModified;
  }
  return true;
}

/**
 * Check a 206 answers exactly the range asked for. `end` is inclusive or null for an
 * open range (then it must run to total - 1); `total` is the known size or null.
 * Throws ERR_RANGE_INVALID otherwise: splicing misplaced bytes would corrupt the file.
 */
export function checkContentRange(
  headers: IncomingHttpHeaders,
  asked: { start: number; end: number | null },
  knownTotal: number | null,
): { start: number; end: number; total: number } {
  const raw = headerValue(headers, 'content-range');
  const range = parseContentRange(raw);
  const details = {
    contentRange: raw ?? null,
    askedStart: asked.start,
    askedEnd: asked.end,
    knownTotal,
  };
  if (!range || range.total === null) {
    throw new RangeInvalidError(
      `The server sent a 206 with an unusable Content-Range (${raw ?? 'none'}).`,
      details,
    );
  }
  if (range.start !== asked.start) {
    throw new RangeInvalidError(
      `The server sent bytes from ${range.start}, not ${asked.start}.`,
      details,
    );
  }
  if (knownTotal !== null && range.total !== knownTotal) {
    throw new RangeInvalidError(
      `The server reports ${range.total} bytes in total, not ${knownTotal}.`,
      details,
    );
  }
  const wantEnd = asked.end ?? range.total - 1;
  if (range.end !== Math.min(wantEnd, range.total - 1)) {
    throw new RangeInvalidError(
      `The server sent bytes up to ${range.end}, not ${wantEnd}.`,
      details,
    );
  }
  const length = parseContentLength(headers);
  if (length !== null && length !== range.end - range.start + 1) {
    throw new RangeInvalidError(
      `Content-Length ${length} disagrees with Content-Range ${raw}.`,
      details,
    );
  }
  return { start: range.start, end: range.end, total: range.total };
}
