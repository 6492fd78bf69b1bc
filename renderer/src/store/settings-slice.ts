/** The settings slice: the SettingsView main last sent (never holding the proxy password). */
import type { StateCreator } from 'zustand';
import type { ErrorPayload, SettingsView } from '../../../preload/contract';

/** State and actions of the settings slice. */
export interface SettingsSlice {
  settings: SettingsView | null;
  settingsError: ErrorPayload | null;
  setSettings(settings: SettingsView): void;
  setSettingsError(error: ErrorPayload | null): void;
}

/** Initial settings state. */
export const initialSettingsState = {
  settings: null as SettingsView | null,
  settingsError: null as ErrorPayload | null,
};

/** Create the settings slice. */
export const createSettingsSlice: StateCreator<SettingsSlice, [], [], SettingsSlice> = (set) => ({
  ...initialSettingsState,
  setSettings: (settings) => set({ settings, settingsError: null }),
  setSettingsError: (settingsError) => set({ settingsError }),
});
