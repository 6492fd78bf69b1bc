/** The one module where main → renderer events enter the store. */
import type { UpdaterApi } from '../../../preload/contract';
import { useStore } from './store';

/** Load initial state and subscribe to every event; returns an unsubscribe-all function. */
export function connectStore(api: UpdaterApi, bridge?: Window['updaterBridge']): () => void {
  const s = () => useStore.getState();
  const sync = async () => {
    const [info, jobs] = await Promise.all([api.getAppInfo(), api.listJobs()]);
    if (info.ok) s().setInfo(info.value);
    if (jobs.ok) s().setJobs(jobs.value);
    s().setConnected(info.ok);
  };
  const offs = [
    api.onJobsBatch((batch) => s().applyJobBatch(batch)),
    api.onNotice((n) => s().pushNotice(n)),
    ...(bridge ? [bridge.onReconnect(() => void sync())] : []),
  ];
  void sync();
  return () => offs.forEach((off) => off());
}
