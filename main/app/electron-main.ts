/**
 * Electron entry point, bundled to dist/main/electron-main.cjs (package.json "main").
 * Everything happens in app-main.ts; this file only wires the real modules in.
 */
import * as electron from 'electron';
// The node flavour on purpose: see logging.ts (electron-log/main opens an unchecked IPC channel).
import log from 'electron-log/node';
import { defaultShellPaths, preReady, startShell, type ShellHandle } from './app-main';
import { focusWindow } from './window';

let shell: ShellHandle | null = null;

if (preReady(electron, () => void focusWindow(shell?.window() ?? null))) {
  startShell(electron, defaultShellPaths(__dirname, electron.app, process.resourcesPath), log)
    .then((s) => {
      shell = s;
    })
    .catch((err: unknown) => {
      log.error('startup failed', err);
      electron.dialog.showErrorBox(
        'LLMrecon Update Manager could not start',
        err instanceof Error ? err.message : String(err),
      );
      electron.app.exit(1);
    });
}
