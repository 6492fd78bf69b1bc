/** In-process main → renderer event hub; transports subscribe and forward. */
import type { EventChannel, EventPayloads } from '../../preload/contract';
import type { EventHub } from './services';

type Listener = <E extends EventChannel>(event: E, payload: EventPayloads[E]) => void;

/** Create an event hub. A throwing subscriber never breaks the emitter or other subscribers. */
export function createEventHub(onListenerError: (err: unknown) => void = () => {}): EventHub {
  const listeners = new Set<Listener>();
  return {
    emit(event, payload) {
      for (const listener of [...listeners]) {
        try {
          listener(event, payload);
        } catch (err) {
          onListenerError(err);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
