// Decides how `npm start` runs: the Electron window where an Electron binary is present (or
// can be fetched quickly), otherwise host mode. Pure decision logic is exported for tests.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

/** Path of the Electron binary from node_modules/electron, or null when it was never downloaded. */
export function electronBinary(root, env = process.env) {
  const dir = join(root, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const rel = readFileSync(pathFile, 'utf8').trim();
  const bin = env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(env.ELECTRON_OVERRIDE_DIST_PATH, rel)
    : join(dir, 'dist', rel);
  return existsSync(bin) ? bin : null;
}

/** Try the Electron package's own download once, bounded by a short timeout. */
export function tryFetchElectron(root, timeoutMs = 20_000) {
  const script = join(root, 'node_modules', 'electron', 'install.js');
  if (!existsSync(script)) return { ok: false, reason: 'the electron package is not installed' };
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const r = spawnSync(process.execPath, [script], {
    cwd: join(root, 'node_modules', 'electron'),
    env,
    timeout: timeoutMs,
    encoding: 'utf8',
  });
  if (r.error?.code === 'ETIMEDOUT' || r.signal)
    return { ok: false, reason: `downloading Electron timed out after ${timeoutMs / 1000} s` };
  if (r.status !== 0) {
    const line =
      (r.stderr || r.stdout || '').split('\n').find((l) => /error/i.test(l)) ?? 'download failed';
    return {
      ok: false,
      reason: `the Electron binary could not be downloaded (${line.trim().slice(0, 160)})`,
    };
  }
  return { ok: true, reason: 'downloaded' };
}

/**
 * Decide the launch mode. Returns { mode: 'electron', bin } or { mode: 'host', reason }.
 * @param {{ root: string, env: NodeJS.ProcessEnv, platform: string, argv: string[], fetch?: (root: string) => {ok: boolean, reason: string} }} o
 */
export function decideMode(o) {
  const { root, env, platform, argv } = o;
  if (argv.includes('--host') || env.LLMRECON_UM_MODE === 'host')
    return { mode: 'host', reason: 'host mode was requested' };
  let bin = electronBinary(root, env);
  if (!bin) {
    if (env.CI || env.ELECTRON_SKIP_BINARY_DOWNLOAD || argv.includes('--no-fetch')) {
      return {
        mode: 'host',
        reason:
          'no Electron binary is installed (ELECTRON_SKIP_BINARY_DOWNLOAD or CI is set, so none was fetched)',
      };
    }
    const fetched = (o.fetch ?? tryFetchElectron)(root);
    if (!fetched.ok)
      return { mode: 'host', reason: `no Electron binary is installed and ${fetched.reason}` };
    bin = electronBinary(root, env);
    if (!bin)
      return { mode: 'host', reason: 'the Electron download finished but no binary was found' };
  }
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return {
      mode: 'host',
      reason: 'Electron is installed but there is no display (DISPLAY / WAYLAND_DISPLAY unset)',
    };
  }
  return { mode: 'electron', bin };
}
