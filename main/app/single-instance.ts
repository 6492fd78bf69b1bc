/**
 * Single instance: two copies would fight over the job store's lock and the state folder,
 * so a second launch hands over to the first (which comes to the front) and quits.
 */
import type { App } from 'electron';

/** Take the single-instance lock. Returns false (and quits) when another instance owns it. */
export function setupSingleInstance(
  app: Pick<App, 'requestSingleInstanceLock' | 'quit' | 'on'>,
  focusExisting: () => void,
): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => focusExisting());
  return true;
}
