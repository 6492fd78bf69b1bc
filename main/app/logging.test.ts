import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { LogLine } from '../../preload/contract';

import log from 'electron-log/node';
import { createElectronAppLogger, forwardRendererLogs } from './logging';

const dir = mkdtempSync(join(tmpdir(), 'um-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('logging', () => {
  describe('createElectronAppLogger()', () => {
    it('writes a redacted log file through electron-log and reports each line', async () => {
      const file = join(dir, 'main.log');
      const lines: LogLine[] = [];
      const logger = createElectronAppLogger(log, file, (l) => lines.push(l), false);
      logger.info('proxy http://alice:s3cret@proxy.example:3128 token=abc123');
      await vi.waitFor(() => expect(readFileSync(file, 'utf8')).toContain('proxy.example'), {
        timeout: 10_000,
      });
      const text = readFileSync(file, 'utf8');
      expect(text).not.toContain('s3cret');
      expect(text).not.toContain('abc123');
      expect(lines[0]!.message).not.toContain('s3cret');
      expect(logger.file).toBe(file);
    });
  });

  describe('forwardRendererLogs()', () => {
    it("forwards the page's console messages with their level, redacted", () => {
      const file = join(dir, 'renderer.log');
      const lines: LogLine[] = [];
      const logger = createElectronAppLogger(log, file, (l) => lines.push(l), false);
      const contents = new EventEmitter();
      forwardRendererLogs(contents as never, logger);
      contents.emit('console-message', {
        level: 'error',
        message: 'failed with password=hunter2',
        sourceId: 'app://bundle/assets/index.js',
        lineNumber: 7,
      });
      contents.emit('console-message', {
        level: 'warning',
        message: 'slow',
        sourceId: 'x',
        lineNumber: 1,
      });
      contents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
      expect(lines.map((l) => [l.level, l.scope])).toEqual([
        ['error', 'renderer'],
        ['warn', 'renderer'],
        ['error', 'renderer'],
      ]);
      expect(lines[0]!.message).toContain('app://bundle/assets/index.js:7');
      expect(lines[0]!.message).not.toContain('hunter2');
      expect(lines[2]!.message).toContain('crashed');
    });
  });
});
