/** Diagnostics: the version/mode line, recent log lines live, and the diagnostics bundle export. */
import { useState } from 'react';
import type { AppInfo } from '../../../preload/contract';
import { exportDiagnostics, revealLogs } from '../actions';
import { useStore } from '../store/store';

/** "LLMrecon Update Manager 0.1.0 — host mode (Node 20.19.0, linux x64)". Pure. */
export function versionLine(info: AppInfo): string {
  const mode =
    info.mode === 'host'
      ? `host mode (Node ${info.nodeVersion}`
      : `Electron ${info.electronVersion ?? '?'} (Node ${info.nodeVersion}`;
  return `${info.name} ${info.version} — ${mode}, ${info.platform} ${info.arch})`;
}

const LEVELS = ['error', 'warn', 'info', 'debug'] as const;

/** The diagnostics view. */
export function DiagnosticsView() {
  const info = useStore((s) => s.info);
  const logs = useStore((s) => s.logs);
  const lastExport = useStore((s) => s.lastExport);
  const [level, setLevel] = useState<(typeof LEVELS)[number]>('debug');
  const [busy, setBusy] = useState(false);
  const shown = logs.filter((l) => LEVELS.indexOf(l.level) <= LEVELS.indexOf(level)).slice(-300);
  return (
    <section className="view diagnostics" aria-labelledby="diag-title">
      <div className="view-header">
        <h2 id="diag-title">Diagnostics</h2>
        <div className="toolbar">
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              await exportDiagnostics();
              setBusy(false);
            }}
          >
            {busy ? 'Exporting…' : 'Export diagnostics bundle'}
          </button>
          <button type="button" onClick={() => void revealLogs()}>
            Show log file
          </button>
        </div>
      </div>
      {info && (
        <div className="panel">
          <p data-testid="version-line">{versionLine(info)}</p>
          <p className="muted">
            State {info.stateDir} · log {info.logFile}
            {info.demoFeed ? ' · demo feed' : ''}
          </p>
        </div>
      )}
      {lastExport && (
        <p role="status" data-testid="export-path">
          Bundle written to <code>{lastExport}</code> (secrets redacted).
        </p>
      )}
      <div className="panel">
        <div className="component-line">
          <h3>Recent log lines</h3>
          <label>
            Show{' '}
            <select
              value={level}
              onChange={(e) => setLevel(e.target.value as (typeof LEVELS)[number])}
            >
              <option value="error">errors</option>
              <option value="warn">warnings and errors</option>
              <option value="info">info and above</option>
              <option value="debug">everything</option>
            </select>
          </label>
        </div>
        <ol className="log" aria-label="Recent log lines" aria-live="off" data-testid="log-lines">
          {shown.length === 0 && <li className="muted">No log lines yet.</li>}
          {shown.map((l, i) => (
            <li key={`${l.at}-${i}`} data-level={l.level}>
              <time>{l.at.slice(11, 23)}</time> <span className="level">{l.level}</span>
              {l.scope && <span className="scope"> [{l.scope}]</span>} {l.message}
            </li>
          ))}
        </ol>
      </div>
    </section>
  );
}
