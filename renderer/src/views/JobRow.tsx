/** One job in the downloads list: name, host, progress, speed, ETA, state with reason, actions. */
import { memo } from 'react';
import type { JobSnapshot } from '../../../preload/contract';
import { jobAction, openPinMismatch, removeJob, revealJob } from '../actions';
import { ProgressBar } from '../components/ProgressBar';
import { describeError } from '../errors';
import { formatBytes, formatDuration, formatSpeed } from '../format';
import { describeJobStatus, isLive, jobActions, segmentFractions } from '../lib/job-status';

/** Row height in px; the virtualised list relies on it (kept in sync with .job in styles.css). */
export const JOB_ROW_HEIGHT = 96;

/** The display name of a job: its label, else the file name of its destination. */
export function jobName(job: JobSnapshot): string {
  return job.label ?? job.dest.split(/[\\/]/).pop() ?? job.dest;
}

function tone(job: JobSnapshot): 'normal' | 'paused' | 'error' | 'done' {
  if (job.state === 'failed' || job.state === 'canceled') return 'error';
  if (job.state === 'completed') return 'done';
  if (job.state === 'paused' || job.state === 'stalled' || job.state === 'retrying')
    return 'paused';
  return 'normal';
}

/** The per-segment mini-bar (decorative; the main bar carries the accessible value). */
function SegmentBar({ job }: { job: JobSnapshot }) {
  const parts = segmentFractions(job);
  if (parts.length < 2) return null;
  return (
    <div className="segments" aria-hidden="true" title={`${parts.length} segments`}>
      {parts.map((p, i) => (
        <div key={i} className="segment" style={{ flexGrow: p.width }}>
          <div className="segment-fill" style={{ width: `${Math.round(p.done * 100)}%` }} />
        </div>
      ))}
    </div>
  );
}

/** Props of {@link JobRow}. */
export interface JobRowProps {
  job: JobSnapshot;
  now: number;
  index: number;
  focused: boolean;
  onFocusRow(index: number): void;
}

/** The row; memoised so a batch re-renders only the jobs it changed. */
export const JobRow = memo(function JobRow({ job, now, index, focused, onFocusRow }: JobRowProps) {
  const name = jobName(job);
  const act = jobActions(job);
  const status = describeJobStatus(job, now);
  const live = isLive(job);
  const err = job.error ? describeError(job.error) : null;
  return (
    <li
      className="job"
      data-state={job.state}
      data-testid={`job-${job.id}`}
      data-job-id={job.id}
      data-row-index={index}
      tabIndex={focused ? 0 : -1}
      aria-label={`${name}, ${status}`}
      onFocus={(e) => {
        if (e.target === e.currentTarget) onFocusRow(index);
      }}
    >
      <div className="job-line">
        <span className="job-name" title={job.dest}>
          {name}
        </span>
        <span className="job-host">{job.host}</span>
        <span className="job-state" data-testid="job-state">
          {status}
        </span>
        <span className="job-actions">
          {act.pause && (
            <button
              type="button"
              onClick={() => void jobAction('pause', job.id)}
              aria-label={`Pause ${name}`}
            >
              Pause
            </button>
          )}
          {act.resume && (
            <button
              type="button"
              onClick={() => void jobAction('resume', job.id)}
              aria-label={`Resume ${name}`}
            >
              Resume
            </button>
          )}
          {act.retry && (
            <button
              type="button"
              onClick={() => void jobAction('retry', job.id)}
              aria-label={`Retry ${name}`}
            >
              Retry
            </button>
          )}
          {act.cancel && (
            <button
              type="button"
              onClick={() => void jobAction('cancel', job.id)}
              aria-label={`Cancel ${name}`}
            >
              Cancel
            </button>
          )}
          {act.reveal && (
            <button
              type="button"
              onClick={() => void revealJob(job.id)}
              aria-label={`Show ${name} in folder`}
            >
              Reveal
            </button>
          )}
          {act.remove && (
            <button
              type="button"
              onClick={() => void removeJob(job.id)}
              aria-label={`Remove ${name} from the list`}
            >
              Remove
            </button>
          )}
        </span>
      </div>
      <ProgressBar
        value={job.state === 'completed' ? 100 : job.percent}
        label={`${name} progress`}
        valueText={`${formatBytes(job.downloaded)} of ${formatBytes(job.total)}`}
        tone={tone(job)}
      />
      <div className="job-line job-meta">
        <span className="job-bytes">
          {formatBytes(job.downloaded)} / {formatBytes(job.total)}
        </span>
        <span
          className="job-speed"
          data-testid="job-speed"
          data-bps={Math.round(job.bytesPerSecond)}
        >
          {live ? formatSpeed(job.bytesPerSecond) : ''}
        </span>
        <span className="job-eta">
          {live && job.etaSeconds !== null ? `${formatDuration(job.etaSeconds)} left` : ''}
        </span>
        <SegmentBar job={job} />
        {err && (
          <span className="job-error" title={job.error!.message} data-code={err.code}>
            {err.title}: {err.detail}
          </span>
        )}
        {job.error?.code === 'ERR_PIN_MISMATCH' && (
          <button type="button" className="link" onClick={() => openPinMismatch(job)}>
            Compare pins
          </button>
        )}
        {job.state === 'completed' && job.sha256 && (
          <span className="job-hash" title={`sha256 ${job.sha256}`}>
            sha256 {job.sha256.slice(0, 12)}…
          </span>
        )}
      </div>
    </li>
  );
});
