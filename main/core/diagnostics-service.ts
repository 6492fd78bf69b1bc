/** Recent logs and the redacted diagnostics bundle. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppInfo } from '../../preload/contract';
import { writeFileAtomic } from '../util/atomic-write';
import { redactSecrets } from '../util/redact';
import type { AppLogger } from '../util/logger';
import type { DiagnosticsService, JobService, SecurityService, SettingsService } from './services';

/** Create the diagnostics service over the logger and the other services. */
export function createDiagnosticsService(opts: {
  logger: AppLogger;
  dir: string;
  info: () => AppInfo;
  settings: SettingsService;
  jobs: () => JobService | null;
  security: () => SecurityService | null;
}): DiagnosticsService {
  return {
    recentLogs: (limit) => opts.logger.recent(limit),
    logFile: () => opts.logger.file,
    async exportBundle() {
      await mkdir(opts.dir, { recursive: true });
      const jobs = opts.jobs()?.list() ?? [];
      const counts: Record<string, number> = {};
      for (const j of jobs) counts[j.state] = (counts[j.state] ?? 0) + 1;
      const bundle = {
        generatedAt: new Date().toISOString(),
        app: opts.info(),
        settings: opts.settings.get(),
        jobs: {
          counts,
          recent: jobs.slice(-50).map((j) => ({
            id: j.id,
            host: j.host,
            state: j.state,
            error: j.error?.code ?? null,
            total: j.total,
            downloaded: j.downloaded,
          })),
        },
        connections: opts.security()?.recentConnections().slice(-20) ?? [],
        logs: opts.logger.recent(500),
      };
      const path = join(
        opts.dir,
        `diagnostics-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
      );
      await writeFileAtomic(path, redactSecrets(JSON.stringify(bundle, null, 2)), { mode: 0o600 });
      return { path };
    },
  };
}
