/**
 * Queue scheduling as a pure function: which queued jobs start now, and with how many
 * connections, given the active jobs, `maxActive` and the per-host connection limit.
 */

/** A queued job as the scheduler sees it. */
export interface QueuedJob {
  id: string;
  host: string;
  priority: number;
  seq: number;
  /** Connections the job would like. */
  connections: number;
}

/** A job that currently holds connections. */
export interface ActiveJob {
  host: string;
  connections: number;
}

/** Limits the scheduler enforces. */
export interface ScheduleLimits {
  maxActive: number;
  perHostConnections: number;
}

/** A decision to start one job with `connections` connections. */
export interface StartDecision {
  id: string;
  connections: number;
}

/** Higher priority first, then first come first served. */
export function compareQueued(a: QueuedJob, b: QueuedJob): number {
  return b.priority - a.priority || a.seq - b.seq;
}

/**
 * Pick the jobs to start. A job whose host has no free connection is skipped (a lower
 * priority job for another host may start instead); a job gets at most the host's
 * remaining connections, and at least one.
 */
export function planStarts(
  queued: QueuedJob[],
  active: ActiveJob[],
  limits: ScheduleLimits,
): StartDecision[] {
  const perHost = new Map<string, number>();
  for (const a of active) perHost.set(a.host, (perHost.get(a.host) ?? 0) + a.connections);
  let slots = Math.max(0, limits.maxActive - active.length);
  const starts: StartDecision[] = [];
  for (const job of [...queued].sort(compareQueued)) {
    if (slots === 0) break;
    const free = limits.perHostConnections - (perHost.get(job.host) ?? 0);
    if (free < 1) continue;
    const connections = Math.max(1, Math.min(job.connections, free));
    starts.push({ id: job.id, connections });
    perHost.set(job.host, (perHost.get(job.host) ?? 0) + connections);
    slots--;
  }
  return starts;
}
