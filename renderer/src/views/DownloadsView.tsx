/** Downloads: the live job list and the add-download form. */
import { useState, type FormEvent } from 'react';
import { getApi } from '../api';
import { useStore } from '../store/store';
import { formatBytes } from '../format';
import { describeError } from '../errors';
import type { ErrorPayload } from '../../../preload/contract';

/** The downloads view. */
export function DownloadsView() {
  const order = useStore((s) => s.jobOrder);
  const jobs = useStore((s) => s.jobs);
  const [url, setUrl] = useState('');
  const [dest, setDest] = useState('');
  const [error, setError] = useState<ErrorPayload | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await getApi().addJob({ url, dest });
    setError(r.ok ? null : r.error);
  };

  return (
    <section aria-labelledby="downloads-title">
      <h2 id="downloads-title">Downloads</h2>
      <form className="add-job" onSubmit={submit} aria-label="Add download">
        <label>
          URL <input name="url" value={url} onChange={(e) => setUrl(e.target.value)} required />
        </label>
        <label>
          Save as{' '}
          <input name="dest" value={dest} onChange={(e) => setDest(e.target.value)} required />
        </label>
        <button type="submit">Add download</button>
      </form>
      {error && (
        <p role="alert" className="error" data-code={error.code}>
          {describeError(error).title}: {error.message}
        </p>
      )}
      <ul className="job-list" aria-label="Jobs">
        {order.length === 0 && <li className="empty">No downloads yet.</li>}
        {order.map((id) => {
          const j = jobs[id]!;
          return (
            <li key={id} className="job" data-state={j.state} data-testid={`job-${id}`}>
              <span className="job-name">{j.label ?? j.dest}</span>{' '}
              <span className="job-host">{j.host}</span>{' '}
              <span className="job-state">{j.state}</span>{' '}
              <span className="job-bytes">
                {formatBytes(j.downloaded)} / {formatBytes(j.total)}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
