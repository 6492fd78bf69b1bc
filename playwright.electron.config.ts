import { defineConfig } from '@playwright/test';

// The Electron e2e: launches the real app through Playwright's `_electron` and runs the
// host-mode smoke flow against it. Run it with `npm run test:electron`, which first checks
// that an Electron binary and a display exist and prints why it did not run otherwise.
export default defineConfig({
  testDir: 'e2e/electron',
  testMatch: '**/*.electron.ts',
  outputDir: 'test-results/electron',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: process.env.PW_JSON
    ? [['list'], ['json', { outputFile: process.env.PW_JSON }]]
    : [['list']],
});
