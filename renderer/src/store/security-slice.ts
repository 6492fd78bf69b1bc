/** The security slice: pinned hosts, recent connections, the live inspector and pin mismatches. */
import type { StateCreator } from 'zustand';
import type {
  ConnectionFacts,
  ErrorPayload,
  EventPayloads,
  PinnedHost,
} from '../../../preload/contract';
import type { PinMismatchFacts } from '../lib/pin-advice';

/** The inspector's state. */
export interface InspectState {
  url: string;
  busy: boolean;
  facts: ConnectionFacts | null;
  error: ErrorPayload | null;
}

/** A pin mismatch the user followed from a failed job. */
export interface MismatchFocus extends PinMismatchFacts {
  jobId: string | null;
  url: string | null;
  message: string;
}

/** State and actions of the security slice. */
export interface SecuritySlice {
  pins: PinnedHost[];
  pinsError: ErrorPayload | null;
  connections: ConnectionFacts[];
  pinReports: EventPayloads['security:pinReport'][];
  inspect: InspectState;
  mismatch: MismatchFocus | null;
  setPins(pins: PinnedHost[]): void;
  setPinsError(error: ErrorPayload | null): void;
  setConnections(list: ConnectionFacts[]): void;
  addConnection(facts: ConnectionFacts): void;
  addPinReport(report: EventPayloads['security:pinReport']): void;
  setInspect(patch: Partial<InspectState>): void;
  showMismatch(m: MismatchFocus | null): void;
}

/** Initial security state. */
export const initialSecurityState = {
  pins: [] as PinnedHost[],
  pinsError: null as ErrorPayload | null,
  connections: [] as ConnectionFacts[],
  pinReports: [] as EventPayloads['security:pinReport'][],
  inspect: { url: '', busy: false, facts: null, error: null } as InspectState,
  mismatch: null as MismatchFocus | null,
};

/** Newest connection per host:port first, at most `max`. Pure. */
export function addRecentConnection(
  list: ConnectionFacts[],
  facts: ConnectionFacts,
  max = 30,
): ConnectionFacts[] {
  const key = (c: ConnectionFacts) => `${c.host}:${c.port}`;
  return [facts, ...list.filter((c) => key(c) !== key(facts))].slice(0, max);
}

/** Create the security slice. */
export const createSecuritySlice: StateCreator<SecuritySlice, [], [], SecuritySlice> = (set) => ({
  ...initialSecurityState,
  setPins: (pins) => set({ pins, pinsError: null }),
  setPinsError: (pinsError) => set({ pinsError }),
  setConnections: (list) =>
    set({
      connections: list.reduceRight(
        (acc, c) => addRecentConnection(acc, c),
        [] as ConnectionFacts[],
      ),
    }),
  addConnection: (facts) =>
    set((s) => ({ connections: addRecentConnection(s.connections, facts) })),
  addPinReport: (r) => set((s) => ({ pinReports: [r, ...s.pinReports].slice(0, 50) })),
  setInspect: (patch) => set((s) => ({ inspect: { ...s.inspect, ...patch } })),
  showMismatch: (mismatch) => set({ mismatch }),
});
