/** The jobs slice: job snapshots by id, updated from batched events. */
import type { StateCreator } from 'zustand';
import type { ErrorPayload, JobSnapshot } from '../../../preload/contract';

/** State and actions of the jobs slice. */
export interface JobsSlice {
  jobs: Record<string, JobSnapshot>;
  jobOrder: string[];
  /** Error of the last jobs:list call (e.g. the job service is not available). */
  jobsError: ErrorPayload | null;
  setJobsError(e: ErrorPayload | null): void;
  setJobs(jobs: JobSnapshot[]): void;
  applyJobBatch(batch: { jobs: JobSnapshot[]; removed: string[] }): void;
}

/** Initial jobs state, exported so tests can reset the store. */
export const initialJobsState = {
  jobs: {} as Record<string, JobSnapshot>,
  jobOrder: [] as string[],
  jobsError: null as ErrorPayload | null,
};

/** Order: active first by priority, then newest. Pure, so it is tested on its own. */
export function orderJobs(jobs: Record<string, JobSnapshot>): string[] {
  const done = new Set(['completed', 'failed', 'canceled']);
  return Object.values(jobs)
    .sort(
      (a, b) =>
        Number(done.has(a.state)) - Number(done.has(b.state)) ||
        b.priority - a.priority ||
        b.createdAt - a.createdAt,
    )
    .map((j) => j.id);
}

/** True if two id lists are equal element by element. Pure. */
export function sameOrder(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/** Merge a batch into the jobs map. Pure. */
export function mergeJobBatch(
  jobs: Record<string, JobSnapshot>,
  batch: { jobs: JobSnapshot[]; removed: string[] },
): Record<string, JobSnapshot> {
  const next = { ...jobs };
  for (const j of batch.jobs) {
    const prev = next[j.id];
    // Batches may arrive out of order after a reconnect; never go back in time.
    if (!prev || prev.updatedAt <= j.updatedAt) next[j.id] = j;
  }
  for (const id of batch.removed) delete next[id];
  return next;
}

/** Create the jobs slice. */
export const createJobsSlice: StateCreator<JobsSlice, [], [], JobsSlice> = (set) => ({
  ...initialJobsState,
  setJobsError: (jobsError) => set({ jobsError }),
  setJobs: (list) =>
    set(() => {
      const jobs = Object.fromEntries(list.map((j) => [j.id, j]));
      return { jobs, jobOrder: orderJobs(jobs), jobsError: null };
    }),
  applyJobBatch: (batch) =>
    set((s) => {
      const jobs = mergeJobBatch(s.jobs, batch);
      const jobOrder = orderJobs(jobs);
      // Keep the same array when the order did not change, so the list does not re-render.
      return { jobs, jobOrder: sameOrder(s.jobOrder, jobOrder) ? s.jobOrder : jobOrder };
    }),
});
