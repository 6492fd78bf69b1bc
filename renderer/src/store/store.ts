/** The one renderer store: all slices combined here, middleware only here. */
import { create } from 'zustand';
import { createAppSlice, initialAppState, type AppSlice } from './app-slice';
import { createJobsSlice, initialJobsState, type JobsSlice } from './jobs-slice';

/** The combined store state. */
export type StoreState = AppSlice & JobsSlice;

/** The app store hook. */
export const useStore = create<StoreState>()((...a) => ({
  ...createAppSlice(...a),
  ...createJobsSlice(...a),
}));

/** Reset every slice to its initial state (tests). */
export function resetStore(): void {
  useStore.setState({ ...initialAppState, ...initialJobsState });
}
