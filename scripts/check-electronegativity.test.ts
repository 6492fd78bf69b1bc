import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  evaluateFindings,
  normalizeFindings,
  runScanner,
  // @ts-expect-error plain ESM script without types
} from './check-electronegativity.mjs';

type Finding = { check: string; severity: string; file: string; sample: string };
type Entry = { check: string; file: string; match: string; reason: string };
const evaluate = evaluateFindings as (
  f: Finding[],
  a: Entry[],
) => { failures: Finding[]; unused: Entry[] };

const reason = 'Reviewed: calls the https-only wrapper and nothing else.';

describe('check-electronegativity', () => {
  describe('normalizeFindings()', () => {
    it('upper-cases severities and maps scanned bundle copies back to their .cjs names', () => {
      expect(
        normalizeFindings([
          {
            check: 'OPEN_EXTERNAL_JS_CHECK',
            severity: 'medium',
            file: 'dist/main/electron-main.js',
            location: '1:2',
            sample: 'x',
          },
          {
            check: 'OPEN_EXTERNAL_JS_CHECK',
            severity: 'HIGH',
            file: 'main/app/a.ts',
            location: '1:2',
            sample: 'y',
          },
        ]),
      ).toEqual([
        expect.objectContaining({ severity: 'MEDIUM', file: 'dist/main/electron-main.cjs' }),
        expect.objectContaining({ severity: 'HIGH', file: 'main/app/a.ts' }),
      ]);
    });
  });

  describe('evaluateFindings()', () => {
    const high = {
      check: 'NODE_INTEGRATION_JS_CHECK',
      severity: 'HIGH',
      file: 'main/app/w.ts',
      sample: 'nodeIntegration: true',
    };
    const low = { ...high, severity: 'LOW' };

    it('fails HIGH and MEDIUM findings that no entry justifies, ignores LOW', () => {
      expect(evaluate([high, low], []).failures).toEqual([high]);
    });
    it('accepts a finding matched by check, file and sample regex', () => {
      const entry = { check: high.check, file: high.file, match: 'nodeIntegration', reason };
      expect(evaluate([high], [entry])).toEqual({ failures: [], unused: [] });
    });
    it('does not let an entry for another file or sample excuse a finding', () => {
      const otherFile = {
        check: high.check,
        file: 'main/app/x.ts',
        match: 'nodeIntegration',
        reason,
      };
      const otherSample = { check: high.check, file: high.file, match: 'sandbox', reason };
      const r = evaluate([high], [otherFile, otherSample]);
      expect(r.failures).toEqual([high]);
      expect(r.unused).toHaveLength(2);
    });
    it('rejects an allow-list entry without a real reason', () => {
      expect(() =>
        evaluate([high], [{ check: high.check, file: high.file, match: 'x', reason: '' }]),
      ).toThrow(/reason/);
      expect(() =>
        evaluate([high], [{ check: high.check, file: high.file, match: 'x', reason: 'ok' }]),
      ).toThrow(/real reason/);
    });
  });

  describe('runScanner()', () => {
    const dir = mkdtempSync(join(tmpdir(), 'um-eneg-test-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('finds HIGH issues in an insecure window, offline, and they fail the evaluation', () => {
      const input = join(dir, 'input');
      const work = join(dir, 'work');
      for (const d of [input, work]) rmSync(d, { recursive: true, force: true });
      mkdirSync(input, { recursive: true });
      mkdirSync(work, { recursive: true });
      writeFileSync(
        join(input, 'package.json'),
        JSON.stringify({ devDependencies: { electron: '41.7.1' } }),
      );
      writeFileSync(
        join(input, 'main.js'),
        [
          "const { BrowserWindow } = require('electron');",
          'const win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, webSecurity: false } });',
          "win.loadURL('http://example.com/');",
        ].join('\n'),
      );
      const scan = runScanner(input, work);
      expect(scan.ok).toBe(true);
      expect(scan.unparsed).toEqual([]);
      const { failures } = evaluate(scan.findings, []);
      const checks = failures.map((f) => f.check);
      expect(checks).toEqual(
        expect.arrayContaining([
          'CONTEXT_ISOLATION_JS_CHECK',
          'SANDBOX_JS_CHECK',
          'WEB_SECURITY_JS_CHECK',
        ]),
      );
    });

    it('reports files it cannot parse instead of silently skipping them', () => {
      const input = join(dir, 'broken');
      const work = join(dir, 'work2');
      mkdirSync(input, { recursive: true });
      mkdirSync(work, { recursive: true });
      writeFileSync(join(input, 'bundle.js'), 'class A { static { this.x = 1; } }\n');
      const scan = runScanner(input, work);
      expect(scan.unparsed).toEqual([expect.objectContaining({ file: 'bundle.js' })]);
    });
  });
});
