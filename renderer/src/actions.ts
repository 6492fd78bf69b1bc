/**
 * User actions: each calls one bridge operation and feeds the result into the store. Views
 * call these instead of the bridge so results land in one place; every function resolves
 * to the operation's envelope so a view can show a coded error next to the control.
 */
import type {
  AddJobInput,
  Envelope,
  ErrorPayload,
  JobSnapshot,
  SettingsPatch,
} from '../../preload/contract';
import { getApi } from './api';
import { pinMismatchFacts } from './lib/pin-advice';
import { useStore } from './store/store';

const s = () => useStore.getState();

function noticeOnError<T>(r: Envelope<T>, what: string): Envelope<T> {
  if (!r.ok)
    s().pushNotice({
      level: 'error',
      code: r.error.code,
      message: `${what}: ${r.error.message}`,
      at: Date.now(),
    });
  return r;
}

/** Merge a single job result into the store right away (the batch event follows). */
function takeJob(r: Envelope<JobSnapshot>): Envelope<JobSnapshot> {
  if (r.ok) s().applyJobBatch({ jobs: [r.value], removed: [] });
  return r;
}

/** Add a download job. */
export async function addJob(input: AddJobInput): Promise<Envelope<JobSnapshot>> {
  return takeJob(await getApi().addJob(input));
}

/** Pause, resume, cancel or retry a job by id. */
export async function jobAction(
  action: 'pause' | 'resume' | 'cancel' | 'retry',
  id: string,
): Promise<Envelope<JobSnapshot>> {
  const api = getApi();
  const call = {
    pause: api.pauseJob,
    resume: api.resumeJob,
    cancel: api.cancelJob,
    retry: api.retryJob,
  }[action];
  return noticeOnError(takeJob(await call({ id })), `Could not ${action} the download`);
}

/** Remove a finished job from the list. */
export async function removeJob(id: string): Promise<Envelope<null>> {
  const r = await getApi().removeJob({ id });
  if (r.ok) s().applyJobBatch({ jobs: [], removed: [id] });
  return noticeOnError(r, 'Could not remove the download');
}

/** Reveal a job's file; in host mode the path is shown as a notice. */
export async function revealJob(id: string): Promise<Envelope<{ path: string }>> {
  const r = await getApi().revealJob({ id });
  if (r.ok && s().info?.mode === 'host')
    s().pushNotice({ level: 'info', code: null, message: `File: ${r.value.path}`, at: Date.now() });
  return noticeOnError(r, 'Could not reveal the file');
}

/** Pause or resume every job. */
export async function allJobs(action: 'pause' | 'resume'): Promise<Envelope<null>> {
  const api = getApi();
  const r = action === 'pause' ? await api.pauseAll() : await api.resumeAll();
  if (r.ok) {
    const list = await api.listJobs();
    if (list.ok) s().setJobs(list.value);
  }
  return noticeOnError(r, `Could not ${action} all downloads`);
}

/** Remove every finished job. */
export async function clearHistory(): Promise<Envelope<null>> {
  const api = getApi();
  const r = await api.clearHistory();
  if (r.ok) {
    const list = await api.listJobs();
    if (list.ok) s().setJobs(list.value);
  }
  return noticeOnError(r, 'Could not clear finished downloads');
}

/** Show a failed job's pin mismatch in the Security view. */
export function openPinMismatch(job: JobSnapshot): void {
  const facts = pinMismatchFacts(job.error);
  if (!facts || !job.error) return;
  s().showMismatch({
    ...facts,
    host: facts.host || job.host,
    jobId: job.id,
    url: job.url,
    message: job.error.message,
  });
  s().setInspect({ url: new URL(job.url).origin + '/' });
  s().setView('security');
}

/** Check the feed for updates. */
export async function checkForUpdates(): Promise<void> {
  s().setChecking(true);
  try {
    const r = await getApi().checkForUpdates();
    if (r.ok) s().setUpdateStatus(r.value);
    else s().setUpdatesError(r.error);
  } finally {
    s().setChecking(false);
  }
}

async function refreshUpdates(): Promise<void> {
  const r = await getApi().getUpdateStatus();
  if (r.ok) s().setUpdateStatus(r.value);
}

/** Install one component's update (or all), then refresh the status. */
export async function installUpdate(component: string | 'all'): Promise<ErrorPayload | null> {
  const api = getApi();
  const keys =
    component === 'all'
      ? (s()
          .updateStatus?.components.filter((c) => c.updateAvailable)
          .map((c) => c.key) ?? [])
      : [component];
  keys.forEach((k) => s().setUpdateBusy(k, 'install'));
  try {
    if (component === 'all') {
      const r = await api.installAllUpdates();
      if (!r.ok) return r.error;
      s().pushInstallResults(r.value);
      return r.value.find((x) => !x.ok)?.error ?? null;
    }
    const r = await api.installUpdate({ component });
    if (!r.ok) return r.error;
    s().pushInstallResults([r.value]);
    return r.value.error;
  } finally {
    keys.forEach((k) => s().setUpdateBusy(k, null));
    await refreshUpdates();
  }
}

/** Roll one component back to its newest backup. */
export async function rollbackUpdate(component: string): Promise<ErrorPayload | null> {
  s().setUpdateBusy(component, 'rollback');
  try {
    const r = await getApi().rollback({ component });
    if (!r.ok) return r.error;
    s().pushInstallResults([r.value]);
    return r.value.error;
  } finally {
    s().setUpdateBusy(component, null);
    await refreshUpdates();
  }
}

/** Probe a host live and show its chain in the inspector. */
export async function inspectHost(url: string): Promise<void> {
  s().setInspect({ url, busy: true, error: null });
  const api = getApi();
  const r = await api.inspectHost({ url });
  // The pinned host's "last check" changed either way.
  const pins = await api.listPins();
  if (pins.ok) s().setPins(pins.value);
  if (r.ok) {
    s().setInspect({ busy: false, facts: r.value, error: null });
    s().addConnection(r.value);
  } else {
    s().setInspect({ busy: false, facts: null, error: r.error });
    // A pinned host presenting other keys: show the presented chain next to the pinned one.
    const mismatch = pinMismatchFacts(r.error);
    if (mismatch)
      s().showMismatch({
        ...mismatch,
        host: mismatch.host || new URL(url).hostname,
        jobId: null,
        url,
        message: r.error.message,
      });
  }
}

/** Pin a key for a host. */
export async function addPin(input: {
  host: string;
  pin: string;
  label?: string;
  expires?: string;
  reportOnly?: boolean;
}): Promise<Envelope<unknown>> {
  const r = await getApi().addPin(input);
  if (r.ok) s().setPins(r.value);
  return r;
}

/** Remove one pin of a host. */
export async function removePin(host: string, pin: string): Promise<Envelope<unknown>> {
  const r = await getApi().removePin({ host, pin });
  if (r.ok) s().setPins(r.value);
  return noticeOnError(r, 'Could not remove the pin');
}

/** Save a settings patch; the store takes the returned view (never holding the password). */
export async function saveSettings(patch: SettingsPatch): Promise<Envelope<unknown>> {
  const r = await getApi().updateSettings(patch);
  if (r.ok) s().setSettings(r.value);
  return r;
}

/** Export the diagnostics bundle. */
export async function exportDiagnostics(): Promise<Envelope<{ path: string }>> {
  const r = await getApi().exportDiagnostics();
  if (r.ok) s().setLastExport(r.value.path);
  return noticeOnError(r, 'Could not export diagnostics');
}

/** Reveal the log file (host mode shows its path). */
export async function revealLogs(): Promise<Envelope<{ path: string }>> {
  const r = await getApi().revealLogs();
  if (r.ok && s().info?.mode === 'host')
    s().pushNotice({
      level: 'info',
      code: null,
      message: `Log file: ${r.value.path}`,
      at: Date.now(),
    });
  return noticeOnError(r, 'Could not reveal the logs');
}
