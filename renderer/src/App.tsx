/** The app shell: navigation and the current view. */
import { useStore } from './store/store';
import type { ViewName } from './store/app-slice';
import { DownloadsView } from './views/DownloadsView';

const VIEWS: { name: ViewName; label: string }[] = [
  { name: 'updates', label: 'Updates' },
  { name: 'downloads', label: 'Downloads' },
  { name: 'security', label: 'Security' },
  { name: 'settings', label: 'Settings' },
  { name: 'diagnostics', label: 'Diagnostics' },
];

/** The root component. */
export function App() {
  const view = useStore((s) => s.view);
  const setView = useStore((s) => s.setView);
  const info = useStore((s) => s.info);
  const connected = useStore((s) => s.connected);
  return (
    <div className="app">
      <header className="app-header">
        <h1>LLMrecon Update Manager</h1>
        <span className="mode" data-testid="mode">
          {info
            ? info.mode === 'host'
              ? 'Host mode'
              : `Electron ${info.electronVersion}`
            : 'Connecting…'}
        </span>
        <span className={connected ? 'status ok' : 'status'} role="status">
          {connected ? 'Connected' : 'Disconnected'}
        </span>
      </header>
      <nav aria-label="Views">
        {VIEWS.map((v) => (
          <button
            key={v.name}
            aria-current={view === v.name ? 'page' : undefined}
            onClick={() => setView(v.name)}
          >
            {v.label}
          </button>
        ))}
      </nav>
      <main>
        {view === 'downloads' ? (
          <DownloadsView />
        ) : (
          <p>{VIEWS.find((v) => v.name === view)?.label}</p>
        )}
      </main>
    </div>
  );
}
