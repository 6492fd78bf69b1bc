/** Renderer entry: connect the store to the bridge, then render. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { getApi } from './api';
import { connectStore } from './store/subscriptions';
import './styles.css';

connectStore(getApi(), window.updaterBridge);
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
