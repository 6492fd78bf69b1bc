/** Updates: the feed's freshness and every LLMrecon component with install and rollback. */
import { useState } from 'react';
import type { ComponentStatus, ErrorPayload, UpdateStatus } from '../../../preload/contract';
import { checkForUpdates, installUpdate, rollbackUpdate } from '../actions';
import { ErrorBox } from '../components/ErrorBox';
import { useNow } from '../components/use-now';
import { ProgressBar } from '../components/ProgressBar';
import { formatBytes, formatDateTime } from '../format';
import { feedBanner, phaseLabel } from '../lib/update-status';
import { useStore } from '../store/store';

function FeedPanel({ status, demo }: { status: UpdateStatus; demo: boolean }) {
  const checking = useStore((s) => s.checking);
  const now = useNow(60_000);
  const banner = feedBanner(status, now);
  return (
    <div className="panel feed" data-feed-state={status.feed.state}>
      <div className="feed-line">
        <span className="feed-label">{status.feed.label}</span>
        {(status.feed.demo || demo) && !/demo feed/i.test(status.feed.label) && (
          <span className="badge">Demo feed (local)</span>
        )}
        <span className="feed-url">{status.feed.url}</span>
      </div>
      <p
        className={`feed-banner ${banner.tone}`}
        data-testid="feed-freshness"
        role={banner.tone === 'bad' ? 'alert' : undefined}
      >
        {banner.text}
      </p>
      {status.feed.error && <ErrorBox error={status.feed.error} />}
      <p className="muted">Last checked {formatDateTime(status.feed.lastCheckedAt)}</p>
      <button type="button" onClick={() => void checkForUpdates()} disabled={checking}>
        {checking ? 'Checking…' : 'Check now'}
      </button>
    </div>
  );
}

function ComponentRow({ c, frozen }: { c: ComponentStatus; frozen: boolean }) {
  const busy = useStore((s) => s.updateBusy[c.key]);
  const job = useStore((s) => (c.jobId ? s.jobs[c.jobId] : undefined));
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [notesOpen, setNotesOpen] = useState(false);
  const working = busy !== undefined || c.phase !== 'idle';
  const headingId = `component-${c.key.replace(/[^a-z0-9]/gi, '-')}`;
  return (
    <li
      className="component"
      data-testid={`component-${c.key}`}
      data-phase={c.phase}
      aria-labelledby={headingId}
    >
      <div className="component-line">
        <h3 id={headingId}>{c.name}</h3>
        <span className="kind">{c.kind}</span>
        <span className="versions">
          Installed{' '}
          <strong data-testid="installed-version">{c.installedVersion ?? 'not installed'}</strong>
          {c.availableVersion && (
            <>
              {' '}
              · available <strong data-testid="available-version">{c.availableVersion}</strong> (
              {c.channel})
            </>
          )}
        </span>
        <span className="size">{formatBytes(c.size)}</span>
        {c.releasedAt && <span className="muted">released {formatDateTime(c.releasedAt)}</span>}
        <span className="component-actions">
          {c.updateAvailable && (
            <button
              type="button"
              className="primary"
              disabled={working || frozen}
              onClick={async () => setError(await installUpdate(c.key))}
              aria-label={`Update ${c.name} to ${c.availableVersion}`}
            >
              {busy === 'install' ? 'Updating…' : 'Update'}
            </button>
          )}
          {c.backups.length > 0 && (
            <button
              type="button"
              disabled={working}
              onClick={async () => setError(await rollbackUpdate(c.key))}
              aria-label={`Roll ${c.name} back to ${c.backups[0]}`}
            >
              {busy === 'rollback' ? 'Rolling back…' : `Roll back to ${c.backups[0]}`}
            </button>
          )}
        </span>
      </div>
      {working && (
        <div className="component-progress">
          <span className="phase" aria-live="polite">
            {phaseLabel(
              busy === 'rollback' ? 'rolling-back' : c.phase === 'idle' ? 'installing' : c.phase,
            )}
          </span>
          <ProgressBar
            value={c.phase === 'downloading' ? (job?.percent ?? null) : null}
            label={`${c.name} update progress`}
            valueText={
              job
                ? `${formatBytes(job.downloaded)} of ${formatBytes(job.total)}`
                : phaseLabel(c.phase)
            }
          />
        </div>
      )}
      {c.lastResult && !working && (
        <p className={c.lastResult.ok ? 'result ok' : 'result bad'} data-testid="last-result">
          {c.lastResult.ok
            ? `Installed ${c.lastResult.version ?? ''} at ${formatDateTime(c.lastResult.at)}`
            : `Last attempt failed at ${formatDateTime(c.lastResult.at)}`}
        </p>
      )}
      {(error ?? (c.lastResult && !c.lastResult.ok ? c.lastResult.error : null)) && (
        <ErrorBox error={(error ?? c.lastResult!.error)!} />
      )}
      {c.releaseNotes && (
        <div className="notes">
          <button
            type="button"
            className="link"
            aria-expanded={notesOpen}
            onClick={() => setNotesOpen(!notesOpen)}
          >
            {notesOpen ? 'Hide release notes' : 'Release notes'}
          </button>
          {notesOpen && <pre className="release-notes">{c.releaseNotes}</pre>}
        </div>
      )}
    </li>
  );
}

/** The updates view. */
export function UpdatesView() {
  const status = useStore((s) => s.updateStatus);
  const error = useStore((s) => s.updatesError);
  const info = useStore((s) => s.info);
  const busyAll = useStore((s) => Object.keys(s.updateBusy).length > 0);
  const [allError, setAllError] = useState<ErrorPayload | null>(null);
  const frozen = status
    ? status.feed.state === 'invalid' || status.feed.state === 'expired'
    : false;
  const pending = status?.components.filter((c) => c.updateAvailable).length ?? 0;
  return (
    <section className="view updates" aria-labelledby="updates-title">
      <div className="view-header">
        <h2 id="updates-title">Updates</h2>
        {info?.demoFeed && !status && <span className="badge">Demo feed (local)</span>}
        <div className="toolbar">
          <button
            type="button"
            className="primary"
            disabled={pending === 0 || busyAll || frozen}
            onClick={async () => setAllError(await installUpdate('all'))}
          >
            Update all{pending ? ` (${pending})` : ''}
          </button>
        </div>
      </div>
      {error && !status && <ErrorBox error={error} />}
      {allError && <ErrorBox error={allError} />}
      {status && <FeedPanel status={status} demo={info?.demoFeed ?? false} />}
      {status && (
        <ul className="component-list" aria-label="Components">
          {status.components.length === 0 && (
            <li className="empty">The feed lists no components.</li>
          )}
          {status.components.map((c) => (
            <ComponentRow key={c.key} c={c} frozen={frozen} />
          ))}
        </ul>
      )}
      {!status && !error && <p className="muted">Loading update status…</p>}
    </section>
  );
}
