/** A clock that re-renders the caller every `ms` (for "retrying in 4 s" countdowns). */
import { useEffect, useState } from 'react';

/** Current epoch ms, refreshed every `ms` while `active`. */
export function useNow(ms = 1000, active = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms, active]);
  return now;
}
