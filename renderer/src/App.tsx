/** The app shell: header, navigation, notices, theme and the current view. */
import { useEffect, useState, type KeyboardEvent } from 'react';
import { resolveTheme } from './lib/theme';
import type { ViewName } from './store/app-slice';
import { useStore } from './store/store';
import { DiagnosticsView } from './views/DiagnosticsView';
import { DownloadsView } from './views/DownloadsView';
import { SecurityView } from './views/SecurityView';
import { SettingsView } from './views/SettingsView';
import { UpdatesView } from './views/UpdatesView';

const VIEWS: { name: ViewName; label: string }[] = [
  { name: 'updates', label: 'Updates' },
  { name: 'downloads', label: 'Downloads' },
  { name: 'security', label: 'Security' },
  { name: 'settings', label: 'Settings' },
  { name: 'diagnostics', label: 'Diagnostics' },
];

/** Applies the theme (setting, else system preference) as `data-theme` on the root element. */
function useTheme(): void {
  const setting = useStore((s) => s.settings?.appearance.theme);
  const [prefersDark, setPrefersDark] = useState(
    () => window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false,
  );
  useEffect(() => {
    const mq = window.matchMedia?.('(prefers-color-scheme: dark)');
    if (!mq) return;
    const on = (e: MediaQueryListEvent) => setPrefersDark(e.matches);
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);
  const theme = resolveTheme(setting, prefersDark);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
}

function Notices() {
  const notices = useStore((s) => s.notices);
  const dismiss = useStore((s) => s.dismissNotice);
  return (
    <div className="notices" role="log" aria-live="polite" aria-label="Notices">
      {notices.map((n) => (
        <div key={n.at + n.message} className={`notice ${n.level}`} data-code={n.code ?? undefined}>
          <span>{n.message}</span>
          <button type="button" aria-label="Dismiss notice" onClick={() => dismiss(n.at)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

/** The root component. */
export function App() {
  const view = useStore((s) => s.view);
  const setView = useStore((s) => s.setView);
  const info = useStore((s) => s.info);
  const connected = useStore((s) => s.connected);
  const failing = useStore((s) =>
    Object.values(s.jobs).some((j) => j.state === 'failed' && j.error?.code === 'ERR_PIN_MISMATCH'),
  );
  useTheme();

  // Arrow keys move between views when the navigation has focus (a toolbar pattern).
  const onNavKey = (e: KeyboardEvent) => {
    const i = VIEWS.findIndex((v) => v.name === view);
    const next =
      e.key === 'ArrowRight'
        ? (i + 1) % VIEWS.length
        : e.key === 'ArrowLeft'
          ? (i + VIEWS.length - 1) % VIEWS.length
          : null;
    if (next === null) return;
    e.preventDefault();
    setView(VIEWS[next]!.name);
    (e.currentTarget.querySelectorAll('button')[next] as HTMLButtonElement | undefined)?.focus();
  };

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <h1>LLMrecon Update Manager</h1>
        <span className="mode" data-testid="mode">
          {info
            ? info.mode === 'host'
              ? 'Host mode'
              : `Electron ${info.electronVersion}`
            : 'Connecting…'}
        </span>
        {info?.demoFeed && <span className="badge">Demo feed (local)</span>}
        <span className={connected ? 'status ok' : 'status'} role="status" data-testid="connection">
          {connected ? 'Connected' : 'Disconnected'}
        </span>
      </header>
      <nav aria-label="Views" onKeyDown={onNavKey}>
        {VIEWS.map((v) => (
          <button
            key={v.name}
            type="button"
            aria-current={view === v.name ? 'page' : undefined}
            onClick={() => setView(v.name)}
          >
            {v.label}
            {v.name === 'security' && failing && (
              <span className="dot" aria-label="(pin mismatch)" />
            )}
          </button>
        ))}
      </nav>
      <Notices />
      <main id="main" tabIndex={-1}>
        {view === 'updates' && <UpdatesView />}
        {view === 'downloads' && <DownloadsView />}
        {view === 'security' && <SecurityView />}
        {view === 'settings' && <SettingsView />}
        {view === 'diagnostics' && <DiagnosticsView />}
      </main>
    </div>
  );
}
