/**
 * OS notifications from main (the page itself may not show any: its permission is denied):
 * when updates become available, and when an install or rollback finishes or fails. Install
 * outcomes are read from `updates:status` (each component's `lastResult`); results that
 * were already there at start-up are not announced again.
 */
import type { Notification, NotificationConstructorOptions } from 'electron';
import type { ComponentStatus, EventPayloads, UpdateStatus } from '../../preload/contract';
import type { EventHub } from '../core/services';

/** The notification for newly available updates, or null if there is nothing to say. */
export function availableNotice(
  payload: EventPayloads['updates:available'],
): NotificationConstructorOptions | null {
  const list = payload.components.filter((c) => c.updateAvailable);
  if (list.length === 0) return null;
  const names = list.map((c) => `${c.name} ${c.availableVersion ?? ''}`.trim());
  return {
    title: list.length === 1 ? 'Update available' : `${list.length} updates available`,
    body: names.slice(0, 4).join(', ') + (names.length > 4 ? ', …' : ''),
  };
}

/** The notification for one install result. */
export function resultNotice(component: ComponentStatus): NotificationConstructorOptions | null {
  const r = component.lastResult;
  if (!r) return null;
  return r.ok
    ? {
        title: 'Update installed',
        body: `${component.name} ${r.version ?? ''} is installed.`.trim(),
      }
    : {
        title: 'Update failed',
        body: `${component.name}: ${r.error?.message ?? 'the update could not be installed'}`,
      };
}

/** Subscribe to update events and show OS notifications; clicking one shows the window. */
export function setupNotifications(
  NotificationCtor: Pick<typeof Notification, 'isSupported'> &
    (new (options: NotificationConstructorOptions) => Pick<Notification, 'show' | 'on'>),
  events: EventHub,
  initialStatus: UpdateStatus | null,
  onClick: () => void,
): () => void {
  const seenResults = new Map<string, number>();
  for (const c of initialStatus?.components ?? [])
    if (c.lastResult) seenResults.set(c.key, c.lastResult.at);
  let lastAvailable = '';
  const show = (options: NotificationConstructorOptions | null) => {
    if (!options || !NotificationCtor.isSupported()) return;
    const n = new NotificationCtor(options);
    n.on('click', () => onClick());
    n.show();
  };
  return events.subscribe((event, payload) => {
    if (event === 'updates:available') {
      const p = payload as EventPayloads['updates:available'];
      const key = p.components.map((c) => `${c.key}@${c.availableVersion}`).join(',');
      if (key === lastAvailable) return;
      lastAvailable = key;
      show(availableNotice(p));
    } else if (event === 'updates:status') {
      for (const c of (payload as UpdateStatus).components) {
        if (!c.lastResult || seenResults.get(c.key) === c.lastResult.at) continue;
        seenResults.set(c.key, c.lastResult.at);
        show(resultNotice(c));
      }
    }
  });
}
