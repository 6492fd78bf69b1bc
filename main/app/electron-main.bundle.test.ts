import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The real CJS bundle of the entry point, run in a child Node process whose `electron` is
// a recording stand-in: proves the shipped file wires everything up in order, not just the
// TypeScript modules one by one.
const FAKE_ELECTRON = String.raw`
const { EventEmitter } = require('node:events');
const calls = [];
const handlers = new Map();
const note = (what, data) => calls.push(data === undefined ? [what] : [what, data]);
let ready = false;
const app = Object.assign(new EventEmitter(), {
  isPackaged: false,
  whenReady: async () => { ready = true; note('whenReady'); },
  getPath: (name) => (name === 'userData' ? app._userData : '/nonexistent'),
  setPath: (name, value) => { note('setPath', [name, value]); if (name === 'userData') app._userData = value; },
  getVersion: () => '1.2.3',
  getAppPath: () => process.env.FAKE_APP_PATH,
  setAppLogsPath: () => {},
  enableSandbox: () => note('enableSandbox', { ready }),
  requestSingleInstanceLock: () => { note('singleInstanceLock', { ready }); return true; },
  quit: () => note('quit'),
  exit: (code) => { note('exit', code); process.exit(code); },
});
class WebContents extends EventEmitter {
  constructor() { super(); this.mainFrame = { url: 'app://bundle/index.html', parent: null, processId: 1, routingId: 1 }; }
  setWindowOpenHandler() { note('setWindowOpenHandler'); }
  isDestroyed() { return false; }
  send() {}
}
class BrowserWindow extends EventEmitter {
  constructor(options) { super(); note('BrowserWindow', options); this.webContents = new WebContents(); app.emit('web-contents-created', {}, this.webContents); }
  isDestroyed() { return false; }
  setBackgroundColor() {}
  setProgressBar() {}
  async loadURL(url) {
    note('loadURL', url);
    const event = { sender: this.webContents, senderFrame: this.webContents.mainFrame };
    const info = await handlers.get('app:getInfo')(event, undefined);
    const sub = { ...event, senderFrame: { url: 'app://bundle/index.html', parent: event.senderFrame, processId: 1, routingId: 2 } };
    const refused = await handlers.get('settings:get')(sub, undefined);
    process.stdout.write('REPORT ' + JSON.stringify({ calls, channels: [...handlers.keys()], info, refused }) + '\n');
    process.exit(0);
  }
}
module.exports = {
  app,
  BrowserWindow,
  ipcMain: { handle: (c, l) => handlers.set(c, l), removeHandler: (c) => handlers.delete(c) },
  Menu: { buildFromTemplate: (t) => t, setApplicationMenu: () => note('setApplicationMenu') },
  nativeImage: { createFromPath: (p) => ({ p }) },
  nativeTheme: Object.assign(new EventEmitter(), { themeSource: 'system', shouldUseDarkColors: false }),
  Notification: class { static isSupported() { return false; } },
  protocol: { registerSchemesAsPrivileged: (s) => note('registerSchemesAsPrivileged', { ready, scheme: s[0].scheme }) },
  session: { defaultSession: {
    setPermissionRequestHandler: () => note('setPermissionRequestHandler'),
    setPermissionCheckHandler: () => note('setPermissionCheckHandler'),
    setDevicePermissionHandler: () => {},
    webRequest: { onHeadersReceived: () => note('onHeadersReceived') },
    protocol: { handle: (scheme) => note('protocol.handle', scheme) },
  } },
  shell: { openExternal: async () => {}, showItemInFolder: () => {} },
  Tray: class { setToolTip() {} setContextMenu() {} on() {} destroy() {} },
  dialog: { showErrorBox: (t, m) => { process.stderr.write(t + ': ' + m + '\n'); } },
};
`;

const REGISTER = String.raw`
const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'electron' ? require('node:path').join(__dirname, 'fake-electron.cjs') : resolve.call(this, request, ...rest);
};
`;

type Report = {
  calls: [string, unknown?][];
  channels: string[];
  info: { ok: boolean; value: { mode: string; version: string; stateDir: string } };
  refused: { ok: boolean; error: { code: string } };
};

describe('electron-main bundle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'um-emain-'));
  let report: Report;
  let stderr = '';
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeAll(async () => {
    const root = join(__dirname, '..', '..');
    const common: BuildOptions = {
      bundle: true,
      format: 'cjs',
      target: 'node20',
      logLevel: 'silent',
      external: ['electron', 'bufferutil', 'utf-8-validate'],
      define: { __APP_VERSION__: '"1.2.3"' },
    };
    await build({
      ...common,
      platform: 'node',
      entryPoints: [join(root, 'main/app/electron-main.ts')],
      outfile: join(dir, 'dist/main/electron-main.cjs'),
    });
    await build({
      ...common,
      platform: 'browser',
      entryPoints: [join(root, 'preload/index.ts')],
      outfile: join(dir, 'dist/preload/preload.cjs'),
    });
    writeFileSync(join(dir, 'fake-electron.cjs'), FAKE_ELECTRON);
    writeFileSync(join(dir, 'register.cjs'), REGISTER);
    const r = spawnSync(
      process.execPath,
      ['--require', join(dir, 'register.cjs'), join(dir, 'dist/main/electron-main.cjs')],
      {
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          ...process.env,
          LLMRECON_UM_USER_DATA_DIR: join(dir, 'profile'),
          LLMRECON_FEED_CONFIG: join(dir, 'no-feed.json'),
          FAKE_APP_PATH: dir,
        },
      },
    );
    stderr = r.stderr;
    const line = r.stdout.split('\n').find((l) => l.startsWith('REPORT '));
    report = line ? (JSON.parse(line.slice(7)) as Report) : (null as unknown as Report);
  });

  it('starts, opens the window on app://bundle/ and answers IPC through the table', () => {
    expect(report, stderr).not.toBeNull();
    expect(report.info).toMatchObject({
      ok: true,
      value: { mode: 'electron', version: '1.2.3', stateDir: join(dir, 'profile') },
    });
    expect(report.calls).toContainEqual(['loadURL', 'app://bundle/index.html']);
  });

  it('does its pre-ready work before ready: profile, scheme, lock, sandbox', () => {
    const names = report.calls.map(([n]) => n);
    expect(names.indexOf('setPath')).toBeLessThan(names.indexOf('whenReady'));
    expect(report.calls).toContainEqual([
      'registerSchemesAsPrivileged',
      { ready: false, scheme: 'app' },
    ]);
    expect(report.calls).toContainEqual(['singleInstanceLock', { ready: false }]);
    expect(report.calls).toContainEqual(['enableSandbox', { ready: false }]);
  });

  it('hardens the session before the window exists and loads our own preload bundle', () => {
    const names = report.calls.map(([n]) => n);
    const window = names.indexOf('BrowserWindow');
    for (const step of [
      'setPermissionRequestHandler',
      'setPermissionCheckHandler',
      'onHeadersReceived',
      'protocol.handle',
    ])
      expect(names.indexOf(step), step).toBeGreaterThan(-1);
    for (const step of ['setPermissionRequestHandler', 'onHeadersReceived', 'protocol.handle'])
      expect(names.indexOf(step), step).toBeLessThan(window);
    const options = report.calls[window]![1] as {
      webPreferences: { preload: string; sandbox: boolean };
    };
    expect(options.webPreferences.sandbox).toBe(true);
    expect(existsSync(options.webPreferences.preload)).toBe(true);
    expect(names).toContain('setWindowOpenHandler');
  });

  it('registers only the contract channels (no electron-log IPC) and refuses subframes', () => {
    expect(report.channels).not.toContain('__ELECTRON_LOG__');
    expect(report.channels).toContain('app:getInfo');
    expect(report.refused).toMatchObject({ ok: false, error: { code: 'ERR_UNTRUSTED_SENDER' } });
  });
});
