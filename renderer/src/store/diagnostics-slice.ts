/** The diagnostics slice: recent log lines (a bounded ring) and the last export. */
import type { StateCreator } from 'zustand';
import type { LogLine } from '../../../preload/contract';

/** How many log lines the renderer keeps. */
export const MAX_LOG_LINES = 500;

/** State and actions of the diagnostics slice. */
export interface DiagnosticsSlice {
  logs: LogLine[];
  lastExport: string | null;
  setLogs(lines: LogLine[]): void;
  appendLogs(lines: LogLine[]): void;
  setLastExport(path: string | null): void;
}

/** Initial diagnostics state. */
export const initialDiagnosticsState = { logs: [] as LogLine[], lastExport: null as string | null };

/** Append lines keeping the newest `max`. Pure. */
export function appendBounded<T>(list: T[], added: T[], max = MAX_LOG_LINES): T[] {
  const next = list.concat(added);
  return next.length > max ? next.slice(next.length - max) : next;
}

/** Create the diagnostics slice. */
export const createDiagnosticsSlice: StateCreator<DiagnosticsSlice, [], [], DiagnosticsSlice> = (
  set,
) => ({
  ...initialDiagnosticsState,
  setLogs: (lines) => set({ logs: appendBounded([], lines) }),
  appendLogs: (lines) => set((s) => ({ logs: appendBounded(s.logs, lines) })),
  setLastExport: (lastExport) => set({ lastExport }),
});
