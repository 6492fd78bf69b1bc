/** The tray icon and its small menu: show, pause all, resume all, quit. */
import type { Menu, MenuItemConstructorOptions, NativeImage, Tray } from 'electron';

/** What the tray menu items do. */
export interface TrayActions {
  show(): void;
  pauseAll(): void;
  resumeAll(): void;
  quit(): void;
}

/** The tray menu template. */
export function trayMenuTemplate(actions: TrayActions): MenuItemConstructorOptions[] {
  return [
    { id: 'show', label: 'Show LLMrecon Update Manager', click: () => actions.show() },
    { type: 'separator' },
    { id: 'pause-all', label: 'Pause All Downloads', click: () => actions.pauseAll() },
    { id: 'resume-all', label: 'Resume All Downloads', click: () => actions.resumeAll() },
    { type: 'separator' },
    { id: 'quit', label: 'Quit', click: () => actions.quit() },
  ];
}

/** Create the tray icon with its menu; clicking the icon shows the window. */
export function setupTray(
  deps: { Tray: typeof Tray; Menu: Pick<typeof Menu, 'buildFromTemplate'> },
  icon: NativeImage | string,
  actions: TrayActions,
): Tray {
  const tray = new deps.Tray(icon);
  tray.setToolTip('LLMrecon Update Manager');
  tray.setContextMenu(deps.Menu.buildFromTemplate(trayMenuTemplate(actions)));
  tray.on('click', () => actions.show());
  return tray;
}
