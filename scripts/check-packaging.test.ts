import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without types
import { auditAsar, REQUIRED_ENTRIES } from './check-packaging.mjs';

const audit = auditAsar as (entries: string[], read: (p: string) => string) => string[];
const good = [
  ...(REQUIRED_ENTRIES as string[]),
  '/dist',
  '/dist/main',
  '/dist/preload',
  '/dist/renderer',
  '/dist/renderer/assets',
  '/dist/renderer/assets/index-abc.js',
  '/dist/renderer/assets/style-abc.css',
];
const files: Record<string, string> = {
  '/package.json': JSON.stringify({ name: 'x', main: 'dist/main/electron-main.cjs' }),
  '/dist/preload/preload.cjs': 'var e = require("electron");',
};
const read = (p: string) => files[p] ?? '';

describe('check-packaging', () => {
  describe('auditAsar()', () => {
    it('accepts built output only', () => {
      expect(audit(good, read)).toEqual([]);
    });

    it.each([
      ['/node_modules/zod/index.js', 'node_modules'],
      ['/dist/main/node_modules/ws/index.js', 'node_modules'],
      ['/main/app/window.ts', 'TypeScript source'],
      ['/dist/main/electron-main.cjs.map', 'source map'],
      ['/dist/renderer/assets/app.test.js', 'test file'],
      ['/e2e/electron/smoke.js', 'test file'],
      ['/scripts/build.mjs', 'outside the files allow-list'],
      ['/dist/linux-unpacked/x', 'unexpected build output'],
    ])('flags %s (%s)', (entry, problem) => {
      expect(audit([...good, entry], read).join('\n')).toContain(problem);
    });

    it('flags a missing bundle', () => {
      const problems = audit(
        good.filter((e) => e !== '/dist/preload/preload.cjs'),
        read,
      );
      expect(problems).toContain('missing /dist/preload/preload.cjs');
    });

    it('flags a package.json whose main is not packaged', () => {
      const problems = audit(good, (p) =>
        p === '/package.json' ? JSON.stringify({ main: 'dist/main/other.cjs' }) : read(p),
      );
      expect(problems.join('\n')).toContain('"main"');
    });

    it('flags a preload that requires modules the sandbox cannot load', () => {
      const problems = audit(good, (p) =>
        p === '/dist/preload/preload.cjs' ? 'require("electron"); require("fs");' : read(p),
      );
      expect(problems.join('\n')).toContain('"fs"');
    });
  });
});
