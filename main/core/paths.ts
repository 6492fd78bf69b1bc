/** Where state, logs and downloads live, per mode. */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The folder name used under XDG state / userData. */
export const APP_DIR_NAME = 'llmrecon-update-manager';

/**
 * The state directory for host mode and the CLI: `$LLMRECON_UM_STATE_DIR`, else
 * `$XDG_STATE_HOME/llmrecon-update-manager`, else `~/.local/state/llmrecon-update-manager`
 * (on Windows `%LOCALAPPDATA%\llmrecon-update-manager`). Electron passes `app.getPath('userData')`.
 */
export function defaultStateDir(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): string {
  if (env.LLMRECON_UM_STATE_DIR) return env.LLMRECON_UM_STATE_DIR;
  if (platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, APP_DIR_NAME);
  const base = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(base, APP_DIR_NAME);
}

/** The standard files inside a state directory. */
export function statePaths(stateDir: string) {
  return {
    stateDir,
    settings: join(stateDir, 'settings.json'),
    pins: join(stateDir, 'pins.json'),
    jobs: join(stateDir, 'jobs'),
    updates: join(stateDir, 'updates'),
    demoFeed: join(stateDir, 'demo-feed'),
    logs: join(stateDir, 'logs'),
    logFile: join(stateDir, 'logs', 'main.log'),
    diagnostics: join(stateDir, 'diagnostics'),
  };
}

/** Default LLMrecon install root, following LLMrecon's own `~/.LLMrecon/` convention. */
export function defaultInstallRoot(): string {
  return join(homedir(), '.LLMrecon');
}

/** Default download folder. */
export function defaultDownloadDir(): string {
  return join(homedir(), 'Downloads');
}
