/**
 * The services the main-process core exposes. The IPC handler table, the CLI and the
 * Electron shell all reach the core only through these interfaces.
 */
import type {
  AddJobInput,
  AppInfo,
  ConnectionFacts,
  EventChannel,
  EventPayloads,
  InstallResult,
  JobSnapshot,
  LogLine,
  PinnedHost,
  SettingsPatch,
  SettingsView,
  UpdateStatus,
} from '../../preload/contract';

/** Queue, states and actions of download jobs (main/jobs). Every action is idempotent. */
export interface JobService {
  list(): JobSnapshot[];
  add(input: AddJobInput): Promise<JobSnapshot>;
  pause(id: string): Promise<JobSnapshot>;
  resume(id: string): Promise<JobSnapshot>;
  cancel(id: string): Promise<JobSnapshot>;
  retry(id: string): Promise<JobSnapshot>;
  remove(id: string): Promise<void>;
  setPriority(id: string, priority: number): Promise<JobSnapshot>;
  pauseAll(): Promise<void>;
  resumeAll(): Promise<void>;
  clearHistory(): Promise<void>;
  /** Absolute path of the job's file (or its folder) for "reveal in folder". */
  pathOf(id: string): string;
}

/** The LLMrecon update feed, components and installer (main/update). */
export interface UpdateService {
  status(): UpdateStatus;
  check(): Promise<UpdateStatus>;
  install(
    component: string,
    options?: { version?: string; allowDowngrade?: boolean },
  ): Promise<InstallResult>;
  installAll(): Promise<InstallResult[]>;
  rollback(component: string): Promise<InstallResult>;
}

/** Pins, live inspection and recent connection facts (main/net). */
export interface SecurityService {
  listPins(): PinnedHost[];
  addPin(input: {
    host: string;
    pin: string;
    label?: string;
    expires?: string;
    reportOnly?: boolean;
  }): PinnedHost[];
  removePin(host: string, pin: string): PinnedHost[];
  inspect(url: string): Promise<ConnectionFacts>;
  recentConnections(): ConnectionFacts[];
}

/** Persistent settings; the proxy password is write-only. */
export interface SettingsService {
  get(): SettingsView;
  update(patch: SettingsPatch): Promise<SettingsView>;
}

/** Logs and the diagnostics bundle. */
export interface DiagnosticsService {
  recentLogs(limit?: number): LogLine[];
  exportBundle(): Promise<{ path: string }>;
  logFile(): string;
}

/** Shell actions that differ between Electron and host mode. */
export interface ShellActions {
  /** Show a file in the OS file manager; host mode just returns the path. */
  revealPath(path: string): Promise<void>;
  /** Open an https URL in the default browser. */
  openExternal(url: string): Promise<void>;
}

/** Main → renderer events; transports subscribe and forward them. */
export interface EventHub {
  emit<E extends EventChannel>(event: E, payload: EventPayloads[E]): void;
  subscribe(
    listener: <E extends EventChannel>(event: E, payload: EventPayloads[E]) => void,
  ): () => void;
}

/** The whole core, as built by createCore. */
export interface Core {
  info: AppInfo;
  events: EventHub;
  jobs: JobService;
  updates: UpdateService;
  security: SecurityService;
  settings: SettingsService;
  diagnostics: DiagnosticsService;
  shell: ShellActions;
  close(): Promise<void>;
}
