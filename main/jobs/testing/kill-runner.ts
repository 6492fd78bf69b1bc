/**
 * Child-process entry for the kill -9 test and the soak script: opens a JobManager with
 * the real SecureDownloader + SecureClient, makes sure every configured file has a job,
 * and prints one JSON line per event (ready, added, completed, done). It is bundled with
 * esbuild into a temp dir and killed with SIGKILL at random moments. Test-only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEventHub } from '../../core/event-hub';
import { SecureDownloader } from '../../download/secure-downloader';
import { SecureClient } from '../../net/secure-client';
import { createJobManager } from '../job-manager';
import { createSecureJobDownloader } from '../secure-job-downloader';

/** The runner's configuration (a JSON file named by argv[2]). */
export interface KillRunnerConfig {
  stateDir: string;
  downloadDir: string;
  caPem: string;
  files: { url: string; name: string; sha256: string; size: number }[];
  maxActive: number;
  connectionsPerJob: number;
  minSegmentSize: number;
}

const say = (event: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(event)}\n`);
};

async function main(): Promise<void> {
  const config = JSON.parse(readFileSync(process.argv[2], 'utf8')) as KillRunnerConfig;
  const events = createEventHub();
  events.subscribe((event, payload) => {
    if (event === 'app:notice') say({ event: 'notice', payload });
  });
  const client = new SecureClient({
    options: {
      ca: [config.caPem],
      useSystemRoots: false,
      retry: { maxAttempts: 5, initialDelayMs: 50, maxDelayMs: 500 },
    },
  });
  const downloader = createSecureJobDownloader(new SecureDownloader(client), {
    baseOptions: () => ({
      minSegmentSize: config.minSegmentSize,
      retryInitialDelayMs: 50,
      retryMaxDelayMs: 500,
      checkFreeSpace: false,
    }),
    onClamp: (dest, dropped) => say({ event: 'clamp', dest, dropped }),
  });
  const manager = await createJobManager({
    downloader,
    stateDir: config.stateDir,
    events,
    settings: () => ({
      maxActive: config.maxActive,
      connectionsPerJob: config.connectionsPerJob,
      perHostConnections: 16,
      autoResume: true,
      downloadDir: config.downloadDir,
    }),
  });
  say({
    event: 'ready',
    jobs: manager.list().map((j) => ({ id: j.id, state: j.state, downloaded: j.downloaded })),
  });

  const report = (): boolean => {
    const jobs = manager.list();
    const done = config.files.every((f) =>
      jobs.some((j) => j.dest === join(config.downloadDir, f.name) && j.state === 'completed'),
    );
    const failed = jobs.filter((j) => j.state === 'failed');
    if (failed.length > 0)
      say({ event: 'failed', jobs: failed.map((j) => ({ id: j.id, error: j.error })) });
    return done;
  };
  events.subscribe((event) => {
    if (event === 'jobs:batch' && report()) {
      say({ event: 'done' });
      void manager
        .close()
        .then(() => client.close())
        .then(() => process.exit(0));
    }
  });

  for (const f of config.files) {
    const dest = join(config.downloadDir, f.name);
    if (manager.list().some((j) => j.dest === dest)) continue;
    const job = await manager.add({
      url: f.url,
      dest: f.name,
      expectedHash: f.sha256,
      expectedSize: f.size,
    });
    say({ event: 'added', id: job.id, dest });
  }
  if (report()) {
    say({ event: 'done' });
    await manager.close();
    await client.close();
    process.exit(0);
  }
}

main().catch((err: unknown) => {
  say({ event: 'error', code: (err as { code?: string }).code ?? null, message: String(err) });
  process.exit(2);
});
