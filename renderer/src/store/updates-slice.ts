/** The updates slice: feed and component status, in-flight installs and their results. */
import type { StateCreator } from 'zustand';
import type { ErrorPayload, InstallResult, UpdateStatus } from '../../../preload/contract';

/** What the UI is doing for a component. */
export type UpdateBusy = 'install' | 'rollback';

/** State and actions of the updates slice. */
export interface UpdatesSlice {
  updateStatus: UpdateStatus | null;
  updatesError: ErrorPayload | null;
  checking: boolean;
  updateBusy: Record<string, UpdateBusy>;
  installResults: InstallResult[];
  setUpdateStatus(status: UpdateStatus): void;
  setUpdatesError(error: ErrorPayload | null): void;
  setChecking(checking: boolean): void;
  setUpdateBusy(component: string, busy: UpdateBusy | null): void;
  pushInstallResults(results: InstallResult[]): void;
}

/** Initial updates state. */
export const initialUpdatesState = {
  updateStatus: null as UpdateStatus | null,
  updatesError: null as ErrorPayload | null,
  checking: false,
  updateBusy: {} as Record<string, UpdateBusy>,
  installResults: [] as InstallResult[],
};

/** Keep the newest results, at most `max`, newest first. Pure. */
export function keepRecentResults(
  current: InstallResult[],
  added: InstallResult[],
  max = 10,
): InstallResult[] {
  return [...[...added].reverse(), ...current].slice(0, max);
}

/** Create the updates slice. */
export const createUpdatesSlice: StateCreator<UpdatesSlice, [], [], UpdatesSlice> = (set) => ({
  ...initialUpdatesState,
  setUpdateStatus: (updateStatus) => set({ updateStatus, updatesError: null }),
  setUpdatesError: (updatesError) => set({ updatesError }),
  setChecking: (checking) => set({ checking }),
  setUpdateBusy: (component, busy) =>
    set((s) => {
      const next = { ...s.updateBusy };
      if (busy) next[component] = busy;
      else delete next[component];
      return { updateBusy: next };
    }),
  pushInstallResults: (results) =>
    set((s) => ({ installResults: keepRecentResults(s.installResults, results) })),
});
