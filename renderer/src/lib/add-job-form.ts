/**
 * Inline validation of the Add download dialog. Mirrors the checks main makes (https URL,
 * hex/SRI checksum, `sha256/` pins) so mistakes show at the field, before anything is sent;
 * main validates again, and its coded errors are shown in words if it disagrees. Pure.
 */
import type { AddJobInput } from '../../../preload/contract';

/** The raw text fields of the dialog. */
export interface AddJobForm {
  url: string;
  dest: string;
  expectedHash: string;
  /** One pin per line (or comma separated). */
  pins: string;
  label: string;
  connections: string;
}

/** An empty form. */
export const EMPTY_ADD_JOB_FORM: AddJobForm = {
  url: '',
  dest: '',
  expectedHash: '',
  pins: '',
  label: '',
  connections: '',
};

/** Field → message; empty when the form is valid. */
export type FieldErrors<F> = Partial<Record<keyof F, string>>;

const BASE64_SHA256 = /^[A-Za-z0-9+/]{43}=$/;

/** Normalise a pin (`sha256/B64`, `sha256//B64` or bare B64) to `sha256/B64`, or null if malformed. */
export function normalizePinText(input: string): string | null {
  const raw = input.trim();
  let b64 = raw;
  if (/^sha256\/\//i.test(raw)) b64 = raw.slice(8);
  else if (/^sha256\//i.test(raw)) b64 = raw.slice(7);
  else if (/^[a-z0-9-]+\//i.test(raw)) return null;
  return BASE64_SHA256.test(b64) ? `sha256/${b64}` : null;
}

/** Split a multi-line / comma separated pin list into trimmed non-empty entries. */
export function splitPins(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((p) => p.trim())
    .filter(Boolean);
}

/** Why a checksum text is malformed, or null if it is a sha256/sha512 hex, `algo:hex` or SRI value. */
export function checksumProblem(text: string): string | null {
  const t = text.trim();
  if (!t) return null;
  const sri = /^(sha256|sha512)-([A-Za-z0-9+/]+={0,2})$/.exec(t);
  if (sri) {
    const bytes = Math.floor((sri[2]!.replace(/=+$/, '').length * 3) / 4);
    const want = sri[1] === 'sha256' ? 32 : 64;
    return bytes === want ? null : `A ${sri[1]} SRI digest has ${want} bytes, not ${bytes}.`;
  }
  const prefixed = /^(sha256|sha512):(.*)$/i.exec(t);
  const hex = prefixed ? prefixed[2]! : t;
  if (!/^[0-9a-fA-F]+$/.test(hex))
    return 'Use hex (64 or 128 characters), sha256:<hex> or sha256-<base64>.';
  const want = prefixed ? (prefixed[1]!.toLowerCase() === 'sha256' ? 64 : 128) : null;
  if (want !== null && hex.length !== want)
    return `A ${prefixed![1]} digest has ${want} hex characters, not ${hex.length}.`;
  if (want === null && hex.length !== 64 && hex.length !== 128)
    return `${hex.length} hex characters is neither sha256 (64) nor sha512 (128).`;
  return null;
}

/** Why a URL text is not an acceptable download URL, or null. */
export function urlProblem(text: string): string | null {
  const t = text.trim();
  if (!t) return 'Enter the address to download.';
  let u: URL;
  try {
    u = new URL(t);
  } catch {
    return 'Enter a full address such as https://example.com/file.tar.gz.';
  }
  if (u.protocol !== 'https:') return 'Only https:// addresses are allowed.';
  if (u.username || u.password) return 'Do not put credentials in the address.';
  if (!u.hostname) return 'The address needs a host name.';
  return null;
}

/** Validate the form; returns field errors and, when valid, the `jobs:add` input. */
export function validateAddJob(form: AddJobForm): {
  errors: FieldErrors<AddJobForm>;
  input: AddJobInput | null;
} {
  const errors: FieldErrors<AddJobForm> = {};
  const url = urlProblem(form.url);
  if (url) errors.url = url;
  // An empty destination takes the URL's file name (shown as the field's placeholder).
  const dest = form.dest.trim() || suggestFileName(form.url);
  if (!dest) errors.dest = 'Enter a file name or an absolute path.';
  else if (dest.includes('\0')) errors.dest = 'The path contains a NUL character.';
  else if (dest.endsWith('/') || dest.endsWith('\\')) errors.dest = 'Name the file, not a folder.';
  const hash = checksumProblem(form.expectedHash);
  if (hash) errors.expectedHash = hash;
  const pins = splitPins(form.pins);
  const normalized: string[] = [];
  for (const p of pins) {
    const n = normalizePinText(p);
    if (!n) {
      errors.pins = `"${p.length > 24 ? p.slice(0, 24) + '…' : p}" is not a pin: use sha256/ followed by 44 base64 characters.`;
      break;
    }
    if (!normalized.includes(n)) normalized.push(n);
  }
  if (!errors.pins && normalized.length > 32) errors.pins = 'At most 32 pins.';
  let connections: number | undefined;
  if (form.connections.trim()) {
    connections = Number(form.connections);
    if (!Number.isInteger(connections) || connections < 1 || connections > 16)
      errors.connections = 'A whole number from 1 to 16.';
  }
  if (form.label.length > 200) errors.label = 'At most 200 characters.';
  if (Object.keys(errors).length > 0) return { errors, input: null };
  const input: AddJobInput = { url: form.url.trim(), dest };
  if (form.expectedHash.trim()) input.expectedHash = form.expectedHash.trim();
  if (normalized.length) input.pins = normalized;
  if (connections !== undefined) input.connections = connections;
  if (form.label.trim()) input.label = form.label.trim();
  return { errors, input };
}

/** A sensible file name for a URL ("file.tar.gz"), to prefill the destination. */
export function suggestFileName(url: string): string {
  try {
    const name = decodeURIComponent(new URL(url.trim()).pathname.split('/').pop() ?? '');
    return /^[^/\\\0]{1,200}$/.test(name) ? name : '';
  } catch {
    return '';
  }
}
