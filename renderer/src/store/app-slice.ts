/** App-wide state: app info, notices and the current view. */
import type { StateCreator } from 'zustand';
import type { AppInfo, ErrorPayload, Notice } from '../../../preload/contract';

/** The views of the app. */
export type ViewName = 'updates' | 'downloads' | 'security' | 'settings' | 'diagnostics';

/** State and actions of the app slice. */
export interface AppSlice {
  info: AppInfo | null;
  view: ViewName;
  notices: Notice[];
  connected: boolean;
  /** Error of the initial app:getInfo call, shown in the header. */
  infoError: ErrorPayload | null;
  setInfo(info: AppInfo): void;
  setView(view: ViewName): void;
  pushNotice(n: Notice): void;
  dismissNotice(at: number): void;
  setConnected(c: boolean): void;
  setInfoError(e: ErrorPayload | null): void;
}

/** Initial app state. */
export const initialAppState = {
  info: null,
  view: 'updates' as ViewName,
  notices: [] as Notice[],
  connected: false,
  infoError: null as ErrorPayload | null,
};

/** Create the app slice. */
export const createAppSlice: StateCreator<AppSlice, [], [], AppSlice> = (set) => ({
  ...initialAppState,
  setInfo: (info) => set({ info }),
  setView: (view) => set({ view }),
  pushNotice: (n) => set((s) => ({ notices: [...s.notices.slice(-4), n] })),
  dismissNotice: (at) => set((s) => ({ notices: s.notices.filter((n) => n.at !== at) })),
  setConnected: (connected) => set({ connected }),
  setInfoError: (infoError) => set({ infoError }),
});
