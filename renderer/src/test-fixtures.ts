/** Builders of contract values for renderer unit tests (test-only). */
import type { ConnectionFacts, JobSnapshot, SettingsView } from '../../preload/contract';

/** A job snapshot with overrides. */
export function job(overrides: Partial<JobSnapshot> = {}): JobSnapshot {
  return {
    id: 'j1',
    url: 'https://example.test/file.bin',
    host: 'example.test',
    dest: '/tmp/downloads/file.bin',
    label: null,
    component: null,
    priority: 0,
    state: 'downloading',
    pauseReason: null,
    error: null,
    attempt: 1,
    nextAttemptAt: null,
    retryReason: null,
    stalledSince: null,
    total: 1000,
    downloaded: 250,
    percent: 25,
    bytesPerSecond: 100,
    etaSeconds: 7.5,
    segments: [],
    connections: 1,
    expected: { size: null, algorithm: null, digest: null },
    pins: [],
    sha256: null,
    createdAt: 1,
    updatedAt: 1,
    startedAt: 1,
    finishedAt: null,
    ...overrides,
  };
}

/** Default-like settings as main sends them. */
export function settingsView(): SettingsView {
  return {
    feed: { url: null, rootPath: null, channel: 'stable', checkIntervalHours: 24 },
    jobs: {
      maxActive: 3,
      connectionsPerJob: 4,
      perHostConnections: 8,
      autoResume: false,
      downloadDir: '/home/u/Downloads',
    },
    network: {
      bandwidthLimitBytesPerSec: null,
      proxy: { url: null, username: null, hasPassword: true },
      retry: { maxAttempts: 5, initialDelayMs: 500, maxDelayMs: 30_000 },
      timeouts: { connectMs: 15_000, tlsMs: 15_000, headersMs: 30_000, idleMs: 30_000, totalMs: 0 },
      revocation: 'soft',
      extraCaFiles: [],
    },
    install: {
      root: '/opt/llmrecon',
      coreBinaryPath: '/opt/llmrecon/bin/llmrecon',
      backupsToKeep: 3,
    },
    appearance: { theme: 'system' },
  } as SettingsView;
}

/** Connection facts of an inspected host. */
export function facts(overrides: Partial<ConnectionFacts> = {}): ConnectionFacts {
  const cert = (i: number, pin: string) => ({
    subject: `CN=cert${i}`,
    issuer: `CN=cert${i + 1}`,
    serialNumber: '0A',
    validFrom: '2025-01-01T00:00:00Z',
    validTo: '2026-01-01T00:00:00Z',
    daysLeft: 100,
    sans: i === 0 ? ['localhost'] : [],
    keyType: 'EC',
    keySize: 256,
    spkiPin: pin,
    fingerprint256: `AA:${i}`,
    isCA: i > 0,
  });
  return {
    url: 'https://localhost:8443/',
    host: 'localhost',
    port: 8443,
    remoteAddress: '127.0.0.1',
    tlsVersion: 'TLSv1.3',
    cipher: 'TLS_AES_256_GCM_SHA384',
    alpn: 'http/1.1',
    chain: [cert(0, PIN_A), cert(1, PIN_B)],
    matchedPin: null,
    pinPolicy: 'none',
    ocsp: {
      status: 'good',
      source: 'staple',
      thisUpdate: null,
      nextUpdate: null,
      revokedAt: null,
      detail: null,
    },
    viaProxy: false,
    at: 5,
    ...overrides,
  };
}

/** Well-formed pins. */
export const PIN_A = 'sha256/' + 'A'.repeat(43) + '=';
/** Well-formed pins. */
export const PIN_B = 'sha256/' + 'B'.repeat(43) + '=';
/** Well-formed pins. */
export const PIN_C = 'sha256/' + 'C'.repeat(43) + '=';
