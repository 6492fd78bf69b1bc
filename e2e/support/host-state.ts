/** Prepares a host-mode state directory before the host starts (settings it should boot with). */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh state dir whose settings trust `caFile` and download into `downloadDir`. */
export function prepareStateDir(opts: {
  caFile: string;
  settings?: Record<string, Record<string, unknown>>;
}): { stateDir: string; downloadDir: string } {
  const root = mkdtempSync(join(tmpdir(), 'um-e2e-'));
  const stateDir = join(root, 'state');
  const downloadDir = join(root, 'downloads');
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  mkdirSync(downloadDir, { recursive: true });
  const s = opts.settings ?? {};
  const settings = {
    ...s,
    jobs: { downloadDir, ...s.jobs },
    network: { extraCaFiles: [opts.caFile], ...s.network },
  };
  writeFileSync(join(stateDir, 'settings.json'), JSON.stringify(settings, null, 2), {
    mode: 0o600,
  });
  return { stateDir, downloadDir };
}
