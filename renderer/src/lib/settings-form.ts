/**
 * The settings form as data: one spec per SettingsView field (label, kind, range, unit),
 * conversion between a SettingsView and editable text, and validation into a minimal
 * `settings:update` patch holding only the changed fields. The proxy password is
 * write-only: the form never holds the stored one, an empty box leaves it unchanged, and
 * "clear" sends null. Pure, so it is tested without a browser.
 */
import type { SettingsPatch, SettingsView } from '../../../preload/contract';

/** The kind of input a field uses. */
export type FieldKind = 'int' | 'number' | 'text' | 'optionalText' | 'enum' | 'bool' | 'lines';

/** One settings field. */
export interface FieldSpec {
  /** Dotted path in SettingsView / SettingsPatch, e.g. `network.retry.maxAttempts`. */
  path: string;
  label: string;
  kind: FieldKind;
  section: SectionName;
  min?: number;
  max?: number;
  /** Shown value = stored value / scale (e.g. KiB/s for bytes per second). */
  scale?: number;
  unit?: string;
  options?: readonly string[];
  /** For int/number: an empty box means null (e.g. "unlimited"). */
  nullable?: boolean;
  help?: string;
  check?: (value: string) => string | null;
}

/** Sections of the settings view, in display order. */
export const SECTIONS = ['Update feed', 'Downloads', 'Network', 'Install', 'Appearance'] as const;
/** One of {@link SECTIONS}. */
export type SectionName = (typeof SECTIONS)[number];

const httpsCheck = (v: string): string | null => {
  try {
    return new URL(v).protocol === 'https:' ? null : 'Only https:// addresses are allowed.';
  } catch {
    return 'Enter a full https:// address.';
  }
};
const proxyCheck = (v: string): string | null => {
  try {
    const u = new URL(v);
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      return 'Use an http:// or https:// proxy address.';
    if (u.username || u.password)
      return 'Put the user name and password in their own fields, not in the address.';
    return null;
  } catch {
    return 'Enter a full proxy address such as http://proxy.example:3128.';
  }
};

/** Every editable setting. */
export const SETTINGS_FIELDS: FieldSpec[] = [
  {
    path: 'feed.url',
    label: 'Feed URL',
    kind: 'optionalText',
    section: 'Update feed',
    check: httpsCheck,
    help: 'Empty uses the built-in local demo feed.',
  },
  {
    path: 'feed.rootPath',
    label: 'Trusted root metadata (root.json path)',
    kind: 'optionalText',
    section: 'Update feed',
  },
  {
    path: 'feed.channel',
    label: 'Channel',
    kind: 'enum',
    options: ['stable', 'beta'],
    section: 'Update feed',
  },
  {
    path: 'feed.checkIntervalHours',
    label: 'Check interval',
    kind: 'number',
    min: 0.25,
    max: 720,
    unit: 'hours',
    section: 'Update feed',
  },
  {
    path: 'jobs.maxActive',
    label: 'Jobs at once',
    kind: 'int',
    min: 1,
    max: 10,
    section: 'Downloads',
  },
  {
    path: 'jobs.connectionsPerJob',
    label: 'Connections per job',
    kind: 'int',
    min: 1,
    max: 16,
    section: 'Downloads',
  },
  {
    path: 'jobs.perHostConnections',
    label: 'Connections per host',
    kind: 'int',
    min: 1,
    max: 64,
    section: 'Downloads',
  },
  {
    path: 'jobs.autoResume',
    label: 'Resume interrupted jobs at start',
    kind: 'bool',
    section: 'Downloads',
  },
  { path: 'jobs.downloadDir', label: 'Download folder', kind: 'text', section: 'Downloads' },
  {
    path: 'network.bandwidthLimitBytesPerSec',
    label: 'Bandwidth limit',
    kind: 'int',
    nullable: true,
    min: 1,
    max: 97_656_250,
    scale: 1024,
    unit: 'KiB/s',
    section: 'Network',
    help: 'Empty means unlimited. Applies to running downloads at once.',
  },
  {
    path: 'network.proxy.url',
    label: 'Proxy',
    kind: 'optionalText',
    check: proxyCheck,
    section: 'Network',
    help: 'Empty connects directly.',
  },
  { path: 'network.proxy.username', label: 'Proxy user', kind: 'optionalText', section: 'Network' },
  {
    path: 'network.retry.maxAttempts',
    label: 'Attempts per download',
    kind: 'int',
    min: 1,
    max: 50,
    section: 'Network',
  },
  {
    path: 'network.retry.initialDelayMs',
    label: 'First retry delay',
    kind: 'int',
    min: 10,
    max: 60_000,
    unit: 'ms',
    section: 'Network',
  },
  {
    path: 'network.retry.maxDelayMs',
    label: 'Longest retry delay',
    kind: 'int',
    min: 100,
    max: 3_600_000,
    unit: 'ms',
    section: 'Network',
  },
  {
    path: 'network.timeouts.connectMs',
    label: 'Connect timeout',
    kind: 'int',
    min: 100,
    max: 600_000,
    unit: 'ms',
    section: 'Network',
  },
  {
    path: 'network.timeouts.tlsMs',
    label: 'TLS handshake timeout',
    kind: 'int',
    min: 100,
    max: 600_000,
    unit: 'ms',
    section: 'Network',
  },
  {
    path: 'network.timeouts.headersMs',
    label: 'Response headers timeout',
    kind: 'int',
    min: 100,
    max: 600_000,
    unit: 'ms',
    section: 'Network',
  },
  {
    path: 'network.timeouts.idleMs',
    label: 'Idle (stall) timeout',
    kind: 'int',
    min: 100,
    max: 3_600_000,
    unit: 'ms',
    section: 'Network',
  },
  {
    path: 'network.timeouts.totalMs',
    label: 'Total timeout',
    kind: 'int',
    min: 0,
    max: 604_800_000,
    unit: 'ms',
    section: 'Network',
    help: '0 means no overall limit.',
  },
  {
    path: 'network.revocation',
    label: 'Revocation checking',
    kind: 'enum',
    options: ['off', 'soft', 'hard'],
    section: 'Network',
    help: 'soft: fail only on a confirmed revocation; hard: also fail without an OCSP answer.',
  },
  {
    path: 'network.extraCaFiles',
    label: 'Extra trusted CA files (PEM, one path a line)',
    kind: 'lines',
    max: 16,
    section: 'Network',
  },
  { path: 'install.root', label: 'Install folder', kind: 'text', section: 'Install' },
  { path: 'install.coreBinaryPath', label: 'Core binary', kind: 'text', section: 'Install' },
  {
    path: 'install.backupsToKeep',
    label: 'Backups to keep',
    kind: 'int',
    min: 1,
    max: 10,
    section: 'Install',
  },
  {
    path: 'appearance.theme',
    label: 'Theme',
    kind: 'enum',
    options: ['system', 'light', 'dark'],
    section: 'Appearance',
  },
];

/** Editable values: text for every field, booleans for switches, plus the write-only password. */
export interface SettingsForm {
  values: Record<string, string | boolean>;
  /** New proxy password; empty leaves the stored one unchanged. Never filled from main. */
  password: string;
  clearPassword: boolean;
}

/** Read a dotted path from an object. */
export function getPath(obj: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined),
      obj,
    );
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
  o[keys[keys.length - 1]!] = value;
}

/** The fields this build of main knows (a field absent from the view is not shown). */
export function fieldsFor(view: SettingsView): FieldSpec[] {
  return SETTINGS_FIELDS.filter((f) => getPath(view, f.path) !== undefined);
}

function toText(spec: FieldSpec, value: unknown): string | boolean {
  if (spec.kind === 'bool') return Boolean(value);
  if (value === null || value === undefined) return '';
  if (spec.kind === 'lines') return (value as string[]).join('\n');
  if (typeof value === 'number' && spec.scale) return String(Math.round(value / spec.scale));
  return String(value);
}

/** Form values for a settings view; the password box starts empty. */
export function formFromView(view: SettingsView): SettingsForm {
  const values: Record<string, string | boolean> = {};
  for (const f of fieldsFor(view)) values[f.path] = toText(f, getPath(view, f.path));
  return { values, password: '', clearPassword: false };
}

function parseField(spec: FieldSpec, raw: string | boolean): { value?: unknown; error?: string } {
  if (spec.kind === 'bool') return { value: Boolean(raw) };
  const text = String(raw).trim();
  switch (spec.kind) {
    case 'enum':
      return spec.options!.includes(text)
        ? { value: text }
        : { error: `Choose one of ${spec.options!.join(', ')}.` };
    case 'text':
      if (!text) return { error: 'Required.' };
      if (text.includes('\0')) return { error: 'Must not contain a NUL character.' };
      return { value: text };
    case 'optionalText': {
      if (!text) return { value: null };
      const problem = spec.check?.(text);
      return problem ? { error: problem } : { value: text };
    }
    case 'lines': {
      const lines = text
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      if (spec.max !== undefined && lines.length > spec.max)
        return { error: `At most ${spec.max} entries.` };
      return { value: lines };
    }
    default: {
      if (!text) return spec.nullable ? { value: null } : { error: 'Required.' };
      const n = Number(text);
      const range = `${spec.min}–${spec.max}${spec.unit ? ' ' + spec.unit : ''}`;
      if (!Number.isFinite(n)) return { error: `Enter a number (${range}).` };
      if (spec.kind === 'int' && !Number.isInteger(n))
        return { error: `Enter a whole number (${range}).` };
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max))
        return { error: `Must be between ${range}.` };
      return { value: spec.scale ? Math.round(n * spec.scale) : n };
    }
  }
}

/** Validate the form against the view; returns field errors and the patch of changed fields. */
export function patchFromForm(
  view: SettingsView,
  form: SettingsForm,
): { errors: Record<string, string>; patch: SettingsPatch | null; changed: number } {
  const errors: Record<string, string> = {};
  const patch: Record<string, unknown> = {};
  let changed = 0;
  for (const f of fieldsFor(view)) {
    const { value, error } = parseField(f, form.values[f.path] ?? '');
    if (error) {
      errors[f.path] = error;
      continue;
    }
    if (JSON.stringify(value) !== JSON.stringify(getPath(view, f.path) ?? null)) {
      setPath(patch, f.path, value);
      changed++;
    }
  }
  const initial = Number(
    getPath(patch, 'network.retry.initialDelayMs') ?? view.network.retry.initialDelayMs,
  );
  const max = Number(getPath(patch, 'network.retry.maxDelayMs') ?? view.network.retry.maxDelayMs);
  if (
    !errors['network.retry.initialDelayMs'] &&
    !errors['network.retry.maxDelayMs'] &&
    initial > max
  )
    errors['network.retry.initialDelayMs'] = 'Must not exceed the longest retry delay.';
  if (form.clearPassword) {
    setPath(patch, 'network.proxy.password', null);
    changed++;
  } else if (form.password) {
    if (form.password.length > 1024) errors['network.proxy.password'] = 'At most 1024 characters.';
    else {
      setPath(patch, 'network.proxy.password', form.password);
      changed++;
    }
  }
  if (Object.keys(errors).length) return { errors, patch: null, changed };
  return { errors, patch: patch as SettingsPatch, changed };
}

/** Map a main-side validation message ("network.retry.maxAttempts: …") to its field, if any. */
export function fieldOfServerMessage(message: string): string | null {
  const m = /^([a-zA-Z]+(?:\.[a-zA-Z]+)+):/.exec(message.trim());
  return m && SETTINGS_FIELDS.some((f) => f.path === m[1]) ? m[1]! : null;
}
