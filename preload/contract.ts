/**
 * The IPC contract: the one leaf module shared by main, preload and renderer.
 *
 * It declares every invoke channel (renderer → main, Promise result), every event
 * channel (main → renderer), the zod schema for each invoke argument and the shape of
 * every result. It imports nothing from main/, preload/ or renderer/; main validates
 * arguments against these schemas at runtime before any handler runs.
 */
import { z } from 'zod';
import type { API_METHODS, EVENT_METHODS } from './channels';

export { API_METHODS, EVENT_METHODS, EVENT_IPC_CHANNEL } from './channels';

// ---------------------------------------------------------------------------
// Shared value shapes
// ---------------------------------------------------------------------------

/** A coded error as it crosses the bridge (Electron keeps only `message` of thrown errors). */
export interface ErrorPayload {
  code: string;
  message: string;
  retryable: boolean;
  /** Structured facts for the UI, e.g. the presented chain's pins on ERR_PIN_MISMATCH. */
  details?: Record<string, unknown>;
}

/** Every invoke result travels in this envelope; nothing is thrown across the bridge. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorPayload };

/** Life-cycle states of a download job. */
export const JOB_STATES = [
  'queued',
  'connecting',
  'downloading',
  'paused',
  'retrying',
  'stalled',
  'verifying',
  'completed',
  'failed',
  'canceled',
] as const;
/** One of {@link JOB_STATES}. */
export type JobState = (typeof JOB_STATES)[number];

/** Why a paused job is paused. */
export type PauseReason = 'user' | 'interrupted' | 'disk-full' | 'offline';

/** Progress of one parallel segment: bytes [start, end] inclusive, `downloaded` of them done. */
export interface SegmentProgress {
  start: number;
  end: number;
  downloaded: number;
}

/** A job as the renderer sees it. */
export interface JobSnapshot {
  id: string;
  url: string;
  host: string;
  dest: string;
  label: string | null;
  /** Component key (`core`, `templates`, `module:<id>`) when the job belongs to an update. */
  component: string | null;
  priority: number;
  state: JobState;
  pauseReason: PauseReason | null;
  error: ErrorPayload | null;
  attempt: number;
  /** Epoch ms of the next retry while `state === 'retrying'`. */
  nextAttemptAt: number | null;
  retryReason: string | null;
  /** Epoch ms since which no byte arrived while `state === 'stalled'`. */
  stalledSince: number | null;
  total: number | null;
  downloaded: number;
  percent: number | null;
  bytesPerSecond: number;
  etaSeconds: number | null;
  segments: SegmentProgress[];
  connections: number;
  expected: { size: number | null; algorithm: 'sha256' | 'sha512' | null; digest: string | null };
  pins: string[];
  /** Hex sha256 of the verified file, once completed. */
  sha256: string | null;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

/** One certificate of a verified chain, leaf first. */
export interface CertificateInfo {
  subject: string;
  issuer: string;
  serialNumber: string;
  validFrom: string;
  validTo: string;
  daysLeft: number;
  sans: string[];
  keyType: string;
  keySize: number | null;
  /** `sha256/<base64>` of the SubjectPublicKeyInfo. */
  spkiPin: string;
  /** SHA-256 fingerprint of the DER certificate, colon-separated hex. */
  fingerprint256: string;
  isCA: boolean;
}

/** Revocation facts of one connection. */
export interface OcspInfo {
  status: 'good' | 'revoked' | 'unknown' | 'absent' | 'error' | 'off';
  source: 'staple' | 'responder' | 'crl' | null;
  thisUpdate: string | null;
  nextUpdate: string | null;
  revokedAt: string | null;
  detail: string | null;
}

/** What the secure client learned about one connection; shown by the inspector. */
export interface ConnectionFacts {
  url: string;
  host: string;
  port: number;
  remoteAddress: string | null;
  tlsVersion: string | null;
  cipher: string | null;
  alpn: string | null;
  chain: CertificateInfo[];
  matchedPin: { pin: string; certIndex: number } | null;
  pinPolicy: 'enforced' | 'report-only' | 'none';
  ocsp: OcspInfo;
  viaProxy: boolean;
  at: number;
}

/** A pinned host pattern with its pins and the outcome of its last connection. */
export interface PinnedHost {
  host: string;
  pins: { pin: string; label: string | null }[];
  expires: string | null;
  reportOnly: boolean;
  subjectName: string | null;
  issuer: string | null;
  lastCheck: {
    at: number;
    matched: boolean;
    matchedPin: string | null;
    certIndex: number | null;
    error: string | null;
  } | null;
}

/** Settings as the renderer sees them: the proxy password is never sent back. */
export interface SettingsView {
  feed: {
    url: string | null;
    rootPath: string | null;
    channel: 'stable' | 'beta';
    checkIntervalHours: number;
  };
  jobs: {
    maxActive: number;
    connectionsPerJob: number;
    perHostConnections: number;
    autoResume: boolean;
    downloadDir: string;
  };
  network: {
    bandwidthLimitBytesPerSec: number | null;
    proxy: { url: string | null; username: string | null; hasPassword: boolean };
    retry: { maxAttempts: number; initialDelayMs: number; maxDelayMs: number };
    timeouts: {
      connectMs: number;
      tlsMs: number;
      headersMs: number;
      idleMs: number;
      totalMs: number;
    };
    revocation: 'off' | 'soft' | 'hard';
    /** PEM CA files trusted in addition to the system roots (enterprise or test CAs). */
    extraCaFiles: string[];
  };
  install: { root: string; coreBinaryPath: string; backupsToKeep: number };
  appearance: { theme: 'system' | 'light' | 'dark' };
}

/** One LLMrecon component as the updates view shows it. */
export interface ComponentStatus {
  /** `core`, `templates` or `module:<id>`. */
  key: string;
  kind: 'core' | 'templates' | 'module';
  id: string;
  name: string;
  installedVersion: string | null;
  availableVersion: string | null;
  channel: 'stable' | 'beta';
  size: number | null;
  releaseNotes: string | null;
  releasedAt: string | null;
  updateAvailable: boolean;
  /** Versions kept as backups, newest first; rollback restores the first. */
  backups: string[];
  /** The job downloading this component's update, if any. */
  jobId: string | null;
  phase:
    | 'idle'
    | 'downloading'
    | 'verifying'
    | 'extracting'
    | 'validating'
    | 'installing'
    | 'rolling-back';
  lastResult: {
    ok: boolean;
    version: string | null;
    at: number;
    error: ErrorPayload | null;
  } | null;
}

/** The update feed and all components. */
export interface UpdateStatus {
  feed: {
    url: string;
    label: string;
    demo: boolean;
    state: 'unknown' | 'checking' | 'ok' | 'expired' | 'invalid' | 'unreachable';
    validUntil: string | null;
    lastCheckedAt: number | null;
    error: ErrorPayload | null;
  };
  components: ComponentStatus[];
}

/** Outcome of one install or rollback. */
export interface InstallResult {
  componentKey: string;
  ok: boolean;
  fromVersion: string | null;
  toVersion: string | null;
  error: ErrorPayload | null;
}

/** Facts about the running app for the diagnostics view. */
export interface AppInfo {
  name: string;
  version: string;
  mode: 'electron' | 'host';
  electronVersion: string | null;
  nodeVersion: string;
  platform: string;
  arch: string;
  stateDir: string;
  logFile: string;
  demoFeed: boolean;
}

/** One recent log line. */
export interface LogLine {
  at: string;
  level: 'error' | 'warn' | 'info' | 'debug';
  scope: string | null;
  message: string;
}

/** A user-visible notice from main (store recovered, update installed, …). */
export interface Notice {
  level: 'info' | 'warning' | 'error';
  code: string | null;
  message: string;
  at: number;
}

// ---------------------------------------------------------------------------
// Argument schemas
// ---------------------------------------------------------------------------

const id = z.string().min(1).max(128);
const httpsUrl = z
  .string()
  .max(4096)
  .refine((s) => {
    try {
      return new URL(s).protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an https:// URL');
const pinString = z.string().min(1).max(200);
const hostPattern = z
  .string()
  .min(1)
  .max(253)
  .regex(/^(\*\*?\.)?[a-z0-9.-]+$/i, 'must be a host name, *.domain or **.domain');
const componentKey = z
  .string()
  .max(140)
  .regex(
    /^(core|templates|module:[a-z0-9][a-z0-9._-]{0,127})$/,
    'must be core, templates or module:<id>',
  );
const filePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((s) => !s.includes('\0'), 'must not contain NUL');

const none = z.undefined().or(z.null()).or(z.object({}).strict());
const byId = z.object({ id }).strict();

/** Arguments for adding a download job. */
export const addJobSchema = z
  .object({
    url: httpsUrl,
    /** Absolute path, or a file name resolved against the download directory. */
    dest: filePath,
    expectedHash: z.string().max(300).optional(),
    expectedSize: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
    pins: z.array(pinString).max(32).optional(),
    connections: z.number().int().min(1).max(16).optional(),
    label: z.string().max(200).optional(),
    priority: z.number().int().min(-1000).max(1000).optional(),
  })
  .strict();
/** Input of `jobs:add`. */
export type AddJobInput = z.infer<typeof addJobSchema>;

const settingsPatchSchema = z
  .object({
    feed: z
      .object({
        url: httpsUrl.nullable(),
        rootPath: filePath.nullable(),
        channel: z.enum(['stable', 'beta']),
        checkIntervalHours: z
          .number()
          .min(0.25)
          .max(24 * 30),
      })
      .partial()
      .strict(),
    jobs: z
      .object({
        maxActive: z.number().int().min(1).max(10),
        connectionsPerJob: z.number().int().min(1).max(16),
        perHostConnections: z.number().int().min(1).max(64),
        autoResume: z.boolean(),
        downloadDir: filePath,
      })
      .partial()
      .strict(),
    network: z
      .object({
        bandwidthLimitBytesPerSec: z.number().int().min(1024).max(1e11).nullable(),
        proxy: z
          .object({
            url: z
              .string()
              .max(2048)
              .refine((s) => {
                try {
                  const u = new URL(s);
                  return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username;
                } catch {
                  return false;
                }
              }, 'must be an http:// or https:// proxy URL without credentials')
              .nullable(),
            username: z.string().max(256).nullable(),
            /** Write-only: never returned by settings:get. */
            password: z.string().max(1024).nullable(),
          })
          .partial()
          .strict(),
        retry: z
          .object({
            maxAttempts: z.number().int().min(1).max(50),
            initialDelayMs: z.number().int().min(10).max(60_000),
            maxDelayMs: z.number().int().min(100).max(3_600_000),
          })
          .partial()
          .strict(),
        timeouts: z
          .object({
            connectMs: z.number().int().min(100).max(600_000),
            tlsMs: z.number().int().min(100).max(600_000),
            headersMs: z.number().int().min(100).max(600_000),
            idleMs: z.number().int().min(100).max(3_600_000),
            /** 0 means no overall limit (multi-gigabyte downloads). */
            totalMs: z
              .number()
              .int()
              .min(0)
              .max(7 * 24 * 3_600_000),
          })
          .partial()
          .strict(),
        revocation: z.enum(['off', 'soft', 'hard']),
        extraCaFiles: z.array(filePath).max(16),
      })
      .partial()
      .strict(),
    install: z
      .object({
        root: filePath,
        coreBinaryPath: filePath,
        backupsToKeep: z.number().int().min(1).max(10),
      })
      .partial()
      .strict(),
    appearance: z
      .object({ theme: z.enum(['system', 'light', 'dark']) })
      .partial()
      .strict(),
  })
  .partial()
  .strict();
/** Input of `settings:update`: a deep-partial patch. */
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

/**
 * Every invoke channel: its argument schema and (type-only) result.
 * Add a channel here and main, preload and renderer all have to follow.
 */
export const invokeSchemas = {
  'app:getInfo': none,
  'app:openExternal': z.object({ url: httpsUrl }).strict(),

  'jobs:list': none,
  'jobs:add': addJobSchema,
  'jobs:pause': byId,
  'jobs:resume': byId,
  'jobs:cancel': byId,
  'jobs:retry': byId,
  'jobs:remove': byId,
  'jobs:reveal': byId,
  'jobs:setPriority': z.object({ id, priority: z.number().int().min(-1000).max(1000) }).strict(),
  'jobs:pauseAll': none,
  'jobs:resumeAll': none,
  'jobs:clearHistory': none,

  'updates:getStatus': none,
  'updates:check': none,
  'updates:install': z
    .object({
      component: componentKey,
      version: z.string().max(64).optional(),
      allowDowngrade: z.boolean().optional(),
    })
    .strict(),
  'updates:installAll': none,
  'updates:rollback': z.object({ component: componentKey }).strict(),

  'security:listPins': none,
  'security:addPin': z
    .object({
      host: hostPattern,
      pin: pinString,
      label: z.string().max(100).optional(),
      expires: z.iso.datetime().optional(),
      reportOnly: z.boolean().optional(),
    })
    .strict(),
  'security:removePin': z.object({ host: hostPattern, pin: pinString }).strict(),
  'security:inspect': z.object({ url: httpsUrl }).strict(),
  'security:recentConnections': none,

  'settings:get': none,
  'settings:update': settingsPatchSchema,

  'diagnostics:recentLogs': z
    .object({ limit: z.number().int().min(1).max(2000).optional() })
    .strict()
    .optional(),
  'diagnostics:export': none,
  'diagnostics:revealLogs': none,
} as const;

/** The result type of each invoke channel. */
export interface InvokeResults {
  'app:getInfo': AppInfo;
  'app:openExternal': null;
  'jobs:list': JobSnapshot[];
  'jobs:add': JobSnapshot;
  'jobs:pause': JobSnapshot;
  'jobs:resume': JobSnapshot;
  'jobs:cancel': JobSnapshot;
  'jobs:retry': JobSnapshot;
  'jobs:remove': null;
  'jobs:reveal': { path: string };
  'jobs:setPriority': JobSnapshot;
  'jobs:pauseAll': null;
  'jobs:resumeAll': null;
  'jobs:clearHistory': null;
  'updates:getStatus': UpdateStatus;
  'updates:check': UpdateStatus;
  'updates:install': InstallResult;
  'updates:installAll': InstallResult[];
  'updates:rollback': InstallResult;
  'security:listPins': PinnedHost[];
  'security:addPin': PinnedHost[];
  'security:removePin': PinnedHost[];
  'security:inspect': ConnectionFacts;
  'security:recentConnections': ConnectionFacts[];
  'settings:get': SettingsView;
  'settings:update': SettingsView;
  'diagnostics:recentLogs': LogLine[];
  'diagnostics:export': { path: string };
  'diagnostics:revealLogs': { path: string };
}

/** Every invoke channel name. */
export type InvokeChannel = keyof typeof invokeSchemas;
/** The parsed argument type of an invoke channel. */
export type InvokeArgs<C extends InvokeChannel> = z.output<(typeof invokeSchemas)[C]>;
/** All invoke channel names, for transports and fuzzers. */
export const INVOKE_CHANNELS = Object.keys(invokeSchemas) as InvokeChannel[];

/** Every event channel (main → renderer) and its payload. */
export interface EventPayloads {
  /** Coalesced job changes, at most 10 batches a second. */
  'jobs:batch': { jobs: JobSnapshot[]; removed: string[] };
  'updates:status': UpdateStatus;
  'updates:available': { components: ComponentStatus[] };
  'security:connection': ConnectionFacts;
  'security:pinReport': {
    host: string;
    matched: boolean;
    expected: string[];
    chain: string[];
    at: number;
  };
  'settings:changed': SettingsView;
  'app:notice': Notice;
  'diagnostics:log': LogLine;
}
/** Every event channel name. */
export type EventChannel = keyof EventPayloads;
/** All event channel names. */
export const EVENT_CHANNELS: EventChannel[] = [
  'jobs:batch',
  'updates:status',
  'updates:available',
  'security:connection',
  'security:pinReport',
  'settings:changed',
  'app:notice',
  'diagnostics:log',
];

type ArgList<C extends InvokeChannel> =
  undefined extends z.input<(typeof invokeSchemas)[C]>
    ? [args?: InvokeArgs<C>]
    : [args: InvokeArgs<C>];

/**
 * The typed API the renderer sees as `window.updater`, derived from the maps above.
 * The preload implements it over Electron IPC; the host bridge over a loopback WebSocket.
 * There is deliberately no generic `invoke(channel)`.
 */
export type UpdaterApi = {
  [M in keyof typeof API_METHODS]: (
    ...args: ArgList<(typeof API_METHODS)[M]>
  ) => Promise<Envelope<InvokeResults[(typeof API_METHODS)[M]]>>;
} & {
  [M in keyof typeof EVENT_METHODS]: (
    listener: (payload: EventPayloads[(typeof EVENT_METHODS)[M]]) => void,
  ) => () => void;
};
