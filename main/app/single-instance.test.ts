import { describe, expect, it, vi } from 'vitest';

const app = vi.hoisted(() => ({
  requestSingleInstanceLock: vi.fn(() => true),
  quit: vi.fn(),
  on: vi.fn(),
}));
vi.mock('electron', () => ({ app }));

import { app as electronApp } from 'electron';
import { setupSingleInstance } from './single-instance';

describe('single-instance', () => {
  describe('setupSingleInstance()', () => {
    it('focuses the first window when a second instance starts', () => {
      const focus = vi.fn();
      expect(setupSingleInstance(electronApp, focus)).toBe(true);
      expect(app.quit).not.toHaveBeenCalled();
      const [event, listener] = app.on.mock.calls[0]!;
      expect(event).toBe('second-instance');
      (listener as () => void)();
      expect(focus).toHaveBeenCalledTimes(1);
    });

    it('quits when another instance holds the lock', () => {
      app.requestSingleInstanceLock.mockReturnValueOnce(false);
      app.on.mockClear();
      expect(setupSingleInstance(electronApp, vi.fn())).toBe(false);
      expect(app.quit).toHaveBeenCalled();
      expect(app.on).not.toHaveBeenCalled();
    });
  });
});
