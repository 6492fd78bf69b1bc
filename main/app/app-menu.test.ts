import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({
  Menu: {
    buildFromTemplate: vi.fn((t: unknown) => ({ template: t })),
    setApplicationMenu: vi.fn(),
  },
}));

import { Menu, type MenuItemConstructorOptions } from 'electron';
import { appMenuTemplate, setupAppMenu } from './app-menu';

const actions = () => ({
  checkForUpdates: vi.fn(),
  pauseAll: vi.fn(),
  resumeAll: vi.fn(),
  revealLogs: vi.fn(),
  exportDiagnostics: vi.fn(),
});

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);
}

describe('app-menu', () => {
  describe('appMenuTemplate()', () => {
    it('uses the standard edit and window roles (with their shortcuts) on every platform', () => {
      for (const platform of ['linux', 'win32', 'darwin'] as const) {
        const roles = flatten(appMenuTemplate(platform, actions(), false)).map((i) => i.role);
        expect(roles).toEqual(
          expect.arrayContaining(['editMenu', 'windowMenu', 'reload', 'zoomIn']),
        );
      }
    });
    it('puts the app menu first on macOS only', () => {
      expect(appMenuTemplate('darwin', actions(), false)[0]!.role).toBe('appMenu');
      expect(appMenuTemplate('linux', actions(), false)[0]!.role).toBeUndefined();
    });
    it('offers DevTools only in development builds', () => {
      const roles = (dev: boolean) =>
        flatten(appMenuTemplate('linux', actions(), dev)).map((i) => i.role);
      expect(roles(false)).not.toContain('toggleDevTools');
      expect(roles(true)).toContain('toggleDevTools');
    });
    it('wires the app items, with accelerators, to their actions', () => {
      const a = actions();
      const items = flatten(appMenuTemplate('linux', a, false));
      const byId = (id: string) => items.find((i) => i.id === id)!;
      expect(byId('check-updates').accelerator).toBe('CmdOrCtrl+U');
      for (const id of [
        'check-updates',
        'pause-all',
        'resume-all',
        'reveal-logs',
        'export-diagnostics',
      ])
        (byId(id).click as () => void)();
      for (const f of Object.values(a)) expect(f).toHaveBeenCalledTimes(1);
    });
  });

  describe('setupAppMenu()', () => {
    it('installs the built menu as the application menu', () => {
      setupAppMenu(Menu, 'linux', actions(), false);
      expect(Menu.setApplicationMenu).toHaveBeenCalledWith({ template: expect.any(Array) });
    });
  });
});
