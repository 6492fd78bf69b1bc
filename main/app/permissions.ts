/**
 * Deny every permission the page could ask for (camera, microphone, geolocation, page
 * notifications, clipboard, HID/USB/serial devices …). The app needs none of them: OS
 * notifications are shown by main, not by the page. Without these handlers Electron grants
 * most permission requests by default.
 */
import type { Session } from 'electron';

/** Install the deny-all permission, permission-check and device handlers on a session. */
export function setupPermissionHandlers(
  session: Pick<
    Session,
    'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
  >,
  log: (message: string) => void = () => {},
): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log(`permissions: denied request for ${permission}`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
