/**
 * The bridge's method and channel names, split from the contract only so the preload and
 * the host bridge can be bundled without zod. Part of the contract: contract.ts re-exports
 * everything here, and every name is type-checked against the contract's channel maps.
 */
import type { EventChannel, InvokeChannel } from './contract';

/** The name of the Electron IPC channel that carries main → renderer events. */
export const EVENT_IPC_CHANNEL = 'updater:event';

/** The method name the bridge exposes for each invoke channel: one named function per operation. */
export const API_METHODS = {
  getAppInfo: 'app:getInfo',
  openExternal: 'app:openExternal',
  listJobs: 'jobs:list',
  addJob: 'jobs:add',
  pauseJob: 'jobs:pause',
  resumeJob: 'jobs:resume',
  cancelJob: 'jobs:cancel',
  retryJob: 'jobs:retry',
  removeJob: 'jobs:remove',
  revealJob: 'jobs:reveal',
  setJobPriority: 'jobs:setPriority',
  pauseAll: 'jobs:pauseAll',
  resumeAll: 'jobs:resumeAll',
  clearHistory: 'jobs:clearHistory',
  getUpdateStatus: 'updates:getStatus',
  checkForUpdates: 'updates:check',
  installUpdate: 'updates:install',
  installAllUpdates: 'updates:installAll',
  rollback: 'updates:rollback',
  listPins: 'security:listPins',
  addPin: 'security:addPin',
  removePin: 'security:removePin',
  inspectHost: 'security:inspect',
  recentConnections: 'security:recentConnections',
  getSettings: 'settings:get',
  updateSettings: 'settings:update',
  recentLogs: 'diagnostics:recentLogs',
  exportDiagnostics: 'diagnostics:export',
  revealLogs: 'diagnostics:revealLogs',
} as const satisfies Record<string, InvokeChannel>;

/** The subscription method name the bridge exposes for each event channel. */
export const EVENT_METHODS = {
  onJobsBatch: 'jobs:batch',
  onUpdateStatus: 'updates:status',
  onUpdatesAvailable: 'updates:available',
  onConnection: 'security:connection',
  onPinReport: 'security:pinReport',
  onSettingsChanged: 'settings:changed',
  onNotice: 'app:notice',
  onLog: 'diagnostics:log',
} as const satisfies Record<string, EventChannel>;
