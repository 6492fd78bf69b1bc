import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

async function rawIpcFindings(code: string, filePath: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return result!.messages.filter((m) => m.message.includes('Raw Electron IPC')).length;
}

describe('eslint raw-IPC rule', () => {
  it.each([
    ['main/app/probe.ts', "import { ipcMain } from 'electron';\nipcMain.handle('x', () => 1);\n"],
    [
      'main/app/probe.ts',
      "import * as electron from 'electron';\nelectron.ipcMain.on('x', () => 1);\n",
    ],
    [
      'main/app/probe.ts',
      "declare const win: { webContents: { send(c: string): void } };\nwin.webContents.send('x');\n",
    ],
    [
      'preload/probe.ts',
      "import { ipcRenderer } from 'electron';\nvoid ipcRenderer.invoke('x');\n",
    ],
    [
      'renderer/src/probe.ts',
      "declare const ipcRenderer: { send(c: string): void };\nipcRenderer.send('x');\n",
    ],
  ])('bans raw IPC in %s', async (file, code) => {
    expect(await rawIpcFindings(code, file)).toBeGreaterThan(0);
  });

  it.each([
    [
      'main/ipc/electron-transport.ts',
      "declare const ipcMain: { handle(c: string): void };\nipcMain.handle('x');\n",
    ],
    [
      'preload/index.ts',
      "import { ipcRenderer } from 'electron';\nvoid ipcRenderer.invoke('x');\n",
    ],
  ])('allows it in the transport module %s', async (file, code) => {
    expect(await rawIpcFindings(code, file)).toBe(0);
  });
});
