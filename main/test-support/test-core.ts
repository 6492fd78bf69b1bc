/** A real core in a temp state dir for IPC and transport tests. Test-only. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import log from 'electron-log/node';
import { createCore } from '../core/create-core';
import { createAppLogger } from '../util/logger';
import type { Core } from '../core/services';

/** Create a core whose state lives in a fresh temp dir; `dispose` removes it. */
export async function createTestCore(): Promise<{
  core: Core;
  stateDir: string;
  dispose(): Promise<void>;
}> {
  const stateDir = mkdtempSync(join(tmpdir(), 'um-core-'));
  const core = await createCore({
    mode: 'host',
    stateDir,
    version: '0.0.0-test',
    installRoot: join(stateDir, 'install'),
    downloadDir: join(stateDir, 'downloads'),
    shell: { revealPath: async () => {}, openExternal: async () => {} },
    createLogger: (file, onLine) =>
      createAppLogger({ backend: log.create({ logId: `test-${Math.random()}` }), file, onLine }),
  });
  return {
    core,
    stateDir,
    async dispose() {
      await core.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
