import { describe, expect, it, vi } from 'vitest';
import type { ComponentStatus, UpdateStatus } from '../../preload/contract';
import { createEventHub } from '../core/event-hub';

vi.mock('electron', () => {
  class Notification {
    static shown: Notification[] = [];
    static isSupported = vi.fn(() => true);
    readonly listeners = new Map<string, () => void>();
    constructor(readonly options: { title: string; body: string }) {}
    on(event: string, listener: () => void) {
      this.listeners.set(event, listener);
      return this;
    }
    show() {
      Notification.shown.push(this);
    }
  }
  return { Notification };
});

import { Notification } from 'electron';
import { setupNotifications } from './notifications';

type Shown = { options: { title: string; body: string }; listeners: Map<string, () => void> };
const shown = () => (Notification as unknown as { shown: Shown[] }).shown;

function component(over: Partial<ComponentStatus>): ComponentStatus {
  return {
    key: 'core',
    name: 'LLMrecon core',
    availableVersion: '1.2.0',
    updateAvailable: true,
    lastResult: null,
    ...over,
  } as ComponentStatus;
}
const status = (components: ComponentStatus[]) => ({ components }) as UpdateStatus;

describe('notifications', () => {
  describe('setupNotifications()', () => {
    it('notifies once per new set of available updates; a click shows the window', () => {
      shown().length = 0;
      const events = createEventHub();
      const onClick = vi.fn();
      setupNotifications(Notification, events, null, onClick);
      events.emit('updates:available', { components: [component({})] });
      events.emit('updates:available', { components: [component({})] });
      expect(shown()).toHaveLength(1);
      expect(shown()[0]!.options).toEqual({
        title: 'Update available',
        body: 'LLMrecon core 1.2.0',
      });
      shown()[0]!.listeners.get('click')!();
      expect(onClick).toHaveBeenCalled();
    });

    it('notifies installs and failures, but not results that existed at start-up', () => {
      shown().length = 0;
      const events = createEventHub();
      const old = { ok: true, version: '1.0.0', at: 1, error: null };
      setupNotifications(Notification, events, status([component({ lastResult: old })]), vi.fn());
      events.emit('updates:status', status([component({ lastResult: old })]));
      expect(shown()).toHaveLength(0);
      events.emit(
        'updates:status',
        status([component({ lastResult: { ok: true, version: '1.2.0', at: 2, error: null } })]),
      );
      events.emit(
        'updates:status',
        status([
          component({
            lastResult: {
              ok: false,
              version: '1.3.0',
              at: 3,
              error: { code: 'ERR_INTEGRITY', message: 'Checksum mismatch', retryable: false },
            },
          }),
        ]),
      );
      expect(shown().map((n) => n.options)).toEqual([
        { title: 'Update installed', body: 'LLMrecon core 1.2.0 is installed.' },
        { title: 'Update failed', body: 'LLMrecon core: Checksum mismatch' },
      ]);
    });

    it('stays silent where the OS has no notifications', () => {
      shown().length = 0;
      vi.mocked(Notification.isSupported).mockReturnValue(false);
      const events = createEventHub();
      setupNotifications(Notification, events, null, vi.fn());
      events.emit('updates:available', { components: [component({})] });
      expect(shown()).toHaveLength(0);
      vi.mocked(Notification.isSupported).mockReturnValue(true);
    });
  });
});
