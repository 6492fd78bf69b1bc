/** Prepares a host-mode state directory before the host starts (settings it should boot with). */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh state dir whose settings download into `downloadDir`, install LLMrecon under
 * `installRoot` (never the real home) and, given `caFile`, trust that test CA.
 */
export function prepareStateDir(opts: {
  caFile?: string;
  settings?: Record<string, Record<string, unknown>>;
}): { stateDir: string; downloadDir: string; installRoot: string } {
  const root = mkdtempSync(join(tmpdir(), 'um-e2e-'));
  const stateDir = join(root, 'state');
  const downloadDir = join(root, 'downloads');
  const installRoot = join(root, 'llmrecon');
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  mkdirSync(downloadDir, { recursive: true });
  const s = opts.settings ?? {};
  const settings = {
    ...s,
    jobs: { downloadDir, ...s.jobs },
    network: { ...(opts.caFile ? { extraCaFiles: [opts.caFile] } : {}), ...s.network },
    install: {
      root: installRoot,
      coreBinaryPath: join(installRoot, 'bin', 'llmrecon'),
      ...s.install,
    },
  };
  writeFileSync(join(stateDir, 'settings.json'), JSON.stringify(settings, null, 2), {
    mode: 0o600,
  });
  return { stateDir, downloadDir, installRoot };
}
