import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => {
  class Tray {
    static last: Tray | null = null;
    readonly setToolTip = vi.fn();
    readonly setContextMenu = vi.fn();
    readonly on = vi.fn();
    constructor(readonly icon: unknown) {
      Tray.last = this;
    }
  }
  return { Tray, Menu: { buildFromTemplate: vi.fn((t: unknown) => ({ template: t })) } };
});

import { Menu, Tray } from 'electron';
import { setupTray, trayMenuTemplate } from './tray';

const actions = () => ({ show: vi.fn(), pauseAll: vi.fn(), resumeAll: vi.fn(), quit: vi.fn() });

describe('tray', () => {
  describe('trayMenuTemplate()', () => {
    it('offers show, pause all, resume all and quit, each wired to its action', () => {
      const a = actions();
      const items = trayMenuTemplate(a).filter((i) => i.type !== 'separator');
      expect(items.map((i) => i.id)).toEqual(['show', 'pause-all', 'resume-all', 'quit']);
      for (const item of items) (item.click as () => void)();
      expect(
        [a.show, a.pauseAll, a.resumeAll, a.quit].every((f) => f.mock.calls.length === 1),
      ).toBe(true);
    });
  });

  describe('setupTray()', () => {
    it('creates the tray with its icon, tooltip and menu; a click shows the window', () => {
      const a = actions();
      const tray = setupTray({ Tray, Menu }, '/icons/tray.png', a) as unknown as {
        icon: string;
        setToolTip: ReturnType<typeof vi.fn>;
        setContextMenu: ReturnType<typeof vi.fn>;
        on: ReturnType<typeof vi.fn>;
      };
      expect(tray.icon).toBe('/icons/tray.png');
      expect(tray.setToolTip).toHaveBeenCalledWith('LLMrecon Update Manager');
      expect(tray.setContextMenu).toHaveBeenCalledWith({ template: expect.any(Array) });
      const [event, listener] = tray.on.mock.calls[0]!;
      expect(event).toBe('click');
      listener();
      expect(a.show).toHaveBeenCalled();
    });
  });
});
