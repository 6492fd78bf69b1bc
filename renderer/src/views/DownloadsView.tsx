/** Downloads: the live, virtualised job list, bulk actions and the Add download dialog. */
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
} from 'react';
import { allJobs, clearHistory } from '../actions';
import { ErrorBox } from '../components/ErrorBox';
import { useNow } from '../components/use-now';
import { computeRowWindow, scrollToRow } from '../lib/virtual-window';
import { useStore } from '../store/store';
import { AddDownloadDialog } from './AddDownloadDialog';
import { JOB_ROW_HEIGHT, JobRow } from './JobRow';

/** The downloads view. */
export function DownloadsView() {
  const order = useStore((s) => s.jobOrder);
  const jobs = useStore((s) => s.jobs);
  const jobsError = useStore((s) => s.jobsError);
  const [adding, setAdding] = useState(false);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  const [focusIndex, setFocusIndex] = useState(0);
  const listRef = useRef<HTMLDivElement>(null);
  const pendingFocus = useRef<number | null>(null);
  const anyTimed = order.some((id) => {
    const st = jobs[id]?.state;
    return st === 'retrying' || st === 'stalled';
  });
  const now = useNow(1000, anyTimed);

  useLayoutEffect(() => {
    const el = listRef.current;
    if (!el) return;
    const measure = () => setViewport(el.clientHeight || 600);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const win = computeRowWindow(scrollTop, viewport, JOB_ROW_HEIGHT, order.length);
  const active = Math.min(focusIndex, Math.max(0, order.length - 1));
  // The roving tab stop must be a rendered row, or the list drops out of the Tab order.
  const tabStop = active >= win.start && active < win.end ? active : win.start;

  useEffect(() => {
    if (pendingFocus.current === null) return;
    const row = listRef.current?.querySelector<HTMLElement>(
      `[data-row-index="${pendingFocus.current}"]`,
    );
    if (row) {
      row.focus();
      pendingFocus.current = null;
    }
  });

  const onFocusRow = useCallback((i: number) => setFocusIndex(i), []);
  const onKeyDown = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement;
    if (!target.matches('li.job')) return;
    const moves: Record<string, number> = {
      ArrowDown: active + 1,
      ArrowUp: active - 1,
      Home: 0,
      End: order.length - 1,
      PageDown: active + Math.floor(viewport / JOB_ROW_HEIGHT),
      PageUp: active - Math.floor(viewport / JOB_ROW_HEIGHT),
    };
    if (!(e.key in moves)) return;
    e.preventDefault();
    const next = Math.max(0, Math.min(order.length - 1, moves[e.key]!));
    const el = listRef.current!;
    const top = scrollToRow(next, el.scrollTop, el.clientHeight, JOB_ROW_HEIGHT);
    if (top !== null) {
      el.scrollTop = top;
      setScrollTop(top);
    }
    setFocusIndex(next);
    pendingFocus.current = next;
  };

  const counts = order.reduce(
    (acc, id) => {
      const st = jobs[id]!.state;
      if (st === 'completed' || st === 'failed' || st === 'canceled') acc.done++;
      else if (st === 'paused') acc.paused++;
      else acc.active++;
      return acc;
    },
    { active: 0, paused: 0, done: 0 },
  );

  return (
    <section className="view downloads" aria-labelledby="downloads-title">
      <div className="view-header">
        <h2 id="downloads-title">Downloads</h2>
        <p className="summary" aria-live="polite">
          {counts.active} active · {counts.paused} paused · {counts.done} finished
        </p>
        <div className="toolbar">
          <button type="button" className="primary" onClick={() => setAdding(true)}>
            Add download…
          </button>
          <button
            type="button"
            onClick={() => void allJobs('pause')}
            disabled={counts.active === 0}
          >
            Pause all
          </button>
          <button
            type="button"
            onClick={() => void allJobs('resume')}
            disabled={counts.paused === 0}
          >
            Resume all
          </button>
          <button type="button" onClick={() => void clearHistory()} disabled={counts.done === 0}>
            Clear finished
          </button>
        </div>
      </div>
      {jobsError && <ErrorBox error={jobsError} />}
      <div
        className="job-scroller"
        ref={listRef}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        onKeyDown={onKeyDown}
      >
        {order.length === 0 ? (
          <p className="empty">No downloads yet. Use “Add download…” to start one.</p>
        ) : (
          <ul
            className="job-list"
            aria-label={`Jobs (${order.length}); use the arrow keys to move between them`}
            style={{ paddingTop: win.padTop, paddingBottom: win.padBottom }}
          >
            {order.slice(win.start, win.end).map((id, k) => {
              const i = win.start + k;
              return (
                <JobRow
                  key={id}
                  job={jobs[id]!}
                  now={jobs[id]!.state === 'retrying' || jobs[id]!.state === 'stalled' ? now : 0}
                  index={i}
                  focused={i === tabStop}
                  onFocusRow={onFocusRow}
                />
              );
            })}
          </ul>
        )}
      </div>
      <AddDownloadDialog open={adding} onClose={() => setAdding(false)} />
    </section>
  );
}
