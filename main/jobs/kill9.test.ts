import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runKillSoak } from './testing/kill-harness';

// Real child processes, the real SecureDownloader + SecureClient over TLS 1.3 on loopback,
// SIGKILL at random moments. The server is rate-limited so that kills land mid-download.
describe('job-manager (kill -9)', () => {
  describe('runKillSoak()', () => {
    it('loses no job and finishes every file with the right sha256 across 20 random kills', async () => {
      const result = await runKillSoak({
        runnerEntry: fileURLToPath(new URL('./testing/kill-runner.ts', import.meta.url)),
        cycles: 20,
        files: 4,
        fileSize: 3 * 1024 * 1024,
        bytesPerSecond: 128 * 1024,
        killWindowMs: [300, 2000],
        maxActive: 3,
        connectionsPerJob: 2,
        minSegmentSize: 256 * 1024,
        log: process.env.KILL9_VERBOSE ? (l) => console.log(l) : undefined,
      });
      if (process.env.KILL9_VERBOSE) console.log({ ...result, cycles: undefined });
      expect(result.problems).toEqual([]);
      expect(result.verified).toBe(4);
      // The kills really landed mid-download: most cycles ended by SIGKILL with jobs unfinished.
      const midDownload = result.cycles.filter((c) => c.killed && c.completedJobs < 4);
      expect(midDownload.length).toBeGreaterThanOrEqual(10);
      // Progress survived the kills: the store's checkpoints grew across cycles.
      expect(Math.max(...result.cycles.map((c) => c.checkpointedBytes))).toBeGreaterThan(0);
    }, 120_000);
  });
});
