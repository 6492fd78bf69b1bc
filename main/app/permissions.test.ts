import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({
  session: {
    defaultSession: {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      setDevicePermissionHandler: vi.fn(),
    },
  },
}));

import { session } from 'electron';
import { setupPermissionHandlers } from './permissions';

describe('permissions', () => {
  describe('setupPermissionHandlers()', () => {
    const log = vi.fn();
    setupPermissionHandlers(session.defaultSession, log);
    const ses = vi.mocked(session.defaultSession);

    it.each(['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'hid'])(
      'denies a %s request',
      (permission) => {
        const handler = ses.setPermissionRequestHandler.mock.calls[0]![0]!;
        const callback = vi.fn();
        handler({} as never, permission as never, callback, {} as never);
        expect(callback).toHaveBeenCalledWith(false);
        expect(log).toHaveBeenCalledWith(expect.stringContaining(permission));
      },
    );

    it('answers every permission check with false', () => {
      const check = ses.setPermissionCheckHandler.mock.calls[0]![0]!;
      for (const p of ['media', 'notifications', 'clipboard-sanitized-write', 'serial'])
        expect(check(null, p as never, 'app://bundle', {} as never)).toBe(false);
    });

    it('grants no device (HID, USB, serial) access', () => {
      const device = ses.setDevicePermissionHandler.mock.calls[0]![0]!;
      expect(device({} as never)).toBe(false);
    });
  });
});
