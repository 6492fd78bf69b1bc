/** Formatting helpers for sizes, speeds and durations. Pure. */

/** Human size in binary units, e.g. "1.5 MiB". */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** Human duration from seconds, e.g. "1 h 4 min", "12 s". */
export function formatDuration(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return '—';
  const sec = Math.max(0, Math.round(s));
  if (sec < 60) return `${sec} s`;
  if (sec < 3600) return `${Math.floor(sec / 60)} min ${sec % 60} s`;
  return `${Math.floor(sec / 3600)} h ${Math.floor((sec % 3600) / 60)} min`;
}

/** Human speed, e.g. "2.4 MiB/s"; "—" when idle. */
export function formatSpeed(bytesPerSecond: number | null | undefined): string {
  if (!bytesPerSecond || !Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return '—';
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** Local date and time of an ISO string or epoch ms, e.g. "2025-03-01 14:05"; "—" for null. */
export function formatDateTime(at: string | number | null | undefined): string {
  if (at === null || at === undefined || at === '') return '—';
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return String(at);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Whole days from `now` until `at` (negative once past). */
export function daysUntil(at: string | number, now: number = Date.now()): number {
  return Math.floor((new Date(at).getTime() - now) / 86_400_000);
}

/** "12 days left", "1 day left", "expires today", "expired 3 days ago". */
export function formatDaysLeft(days: number): string {
  if (days > 1) return `${days} days left`;
  if (days === 1) return '1 day left';
  if (days === 0) return 'expires today';
  return `expired ${-days} day${days === -1 ? '' : 's'} ago`;
}

/** Human percentage with no decimals for the label of a progress bar. */
export function formatPercent(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '—';
  return `${Math.floor(Math.min(100, Math.max(0, p)))} %`;
}
