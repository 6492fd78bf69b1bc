import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer bundle: identical for Electron (file://, hence relative base) and host mode.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome130',
    sourcemap: false,
    // Keep CSS in files: the CSP allows no inline styles.
    cssCodeSplit: false,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
