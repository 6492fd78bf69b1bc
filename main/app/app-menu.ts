/** The application menu: standard roles and shortcuts, plus the app's own diagnostics items. */
import type { Menu, MenuItemConstructorOptions } from 'electron';

/** What the app's own menu items do. */
export interface AppMenuActions {
  checkForUpdates(): void;
  pauseAll(): void;
  resumeAll(): void;
  revealLogs(): void;
  exportDiagnostics(): void;
}

/** The menu template for a platform; macOS gets the app menu first. */
export function appMenuTemplate(
  platform: NodeJS.Platform,
  actions: AppMenuActions,
  devTools: boolean,
): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = [
    { role: 'reload' },
    ...(devTools ? [{ role: 'toggleDevTools' } as const] : []),
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  return [
    ...(platform === 'darwin' ? [{ role: 'appMenu' } as const] : []),
    {
      label: '&File',
      submenu: [
        {
          id: 'check-updates',
          label: 'Check for Updates',
          accelerator: 'CmdOrCtrl+U',
          click: () => actions.checkForUpdates(),
        },
        { type: 'separator' },
        {
          id: 'pause-all',
          label: 'Pause All Downloads',
          accelerator: 'CmdOrCtrl+Shift+P',
          click: () => actions.pauseAll(),
        },
        {
          id: 'resume-all',
          label: 'Resume All Downloads',
          accelerator: 'CmdOrCtrl+Shift+R',
          click: () => actions.resumeAll(),
        },
        { type: 'separator' },
        platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { label: '&View', submenu: view },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { id: 'reveal-logs', label: 'Reveal Logs', click: () => actions.revealLogs() },
        {
          id: 'export-diagnostics',
          label: 'Export Diagnostics…',
          click: () => actions.exportDiagnostics(),
        },
      ],
    },
  ];
}

/** Build and install the application menu. */
export function setupAppMenu(
  menu: Pick<typeof Menu, 'buildFromTemplate' | 'setApplicationMenu'>,
  platform: NodeJS.Platform,
  actions: AppMenuActions,
  devTools: boolean,
): void {
  menu.setApplicationMenu(menu.buildFromTemplate(appMenuTemplate(platform, actions, devTools)));
}
