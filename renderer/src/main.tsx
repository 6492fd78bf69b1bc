/** Renderer entry: connect the store to the bridge, then render. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { getApi } from './api';
import { useStore } from './store/store';
import { connectStore } from './store/subscriptions';
import './styles.css';

connectStore(getApi(), window.updaterBridge);
// The host bridge marks the socket state on <html>; a drop shows at once, the re-sync on
// reconnect sets it back (subscriptions.ts).
new MutationObserver(() => {
  if (document.documentElement.dataset.bridge === 'disconnected')
    useStore.getState().setConnected(false);
}).observe(document.documentElement, { attributes: true, attributeFilter: ['data-bridge'] });
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
