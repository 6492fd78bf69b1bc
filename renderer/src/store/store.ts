/** The one renderer store: all slices combined here, middleware only here. */
import { create } from 'zustand';
import { createAppSlice, initialAppState, type AppSlice } from './app-slice';
import { createJobsSlice, initialJobsState, type JobsSlice } from './jobs-slice';
import { createUpdatesSlice, initialUpdatesState, type UpdatesSlice } from './updates-slice';
import { createSettingsSlice, initialSettingsState, type SettingsSlice } from './settings-slice';
import { createSecuritySlice, initialSecurityState, type SecuritySlice } from './security-slice';
import {
  createDiagnosticsSlice,
  initialDiagnosticsState,
  type DiagnosticsSlice,
} from './diagnostics-slice';

/** The combined store state. */
export type StoreState = AppSlice &
  JobsSlice &
  UpdatesSlice &
  SettingsSlice &
  SecuritySlice &
  DiagnosticsSlice;

/** The app store hook. */
export const useStore = create<StoreState>()((...a) => ({
  ...createAppSlice(...a),
  ...createJobsSlice(...a),
  ...createUpdatesSlice(...a),
  ...createSettingsSlice(...a),
  ...createSecuritySlice(...a),
  ...createDiagnosticsSlice(...a),
}));

/** Reset every slice to its initial state (tests). */
export function resetStore(): void {
  useStore.setState({
    ...initialAppState,
    ...initialJobsState,
    ...initialUpdatesState,
    ...initialSettingsState,
    ...initialSecurityState,
    ...initialDiagnosticsState,
  });
}
