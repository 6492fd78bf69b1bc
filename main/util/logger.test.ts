import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import log from 'electron-log/node';
import { createAppLogger } from './logger';

describe('createAppLogger()', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('writes redacted lines to the file and keeps recent lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'log-'));
    dirs.push(dir);
    const file = join(dir, 'logs', 'main.log');
    const seen: string[] = [];
    const logger = createAppLogger({
      backend: log.create({ logId: `t${Date.now()}` }),
      file,
      onLine: (l) => seen.push(l.message),
    });
    logger.scope('net').info('proxy http://bob:hunter2@proxy:3128 connected');
    logger.warn('token=abcdef');
    await new Promise((r) => setTimeout(r, 50));
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('(net) proxy http://***@proxy:3128 connected');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('abcdef');
    expect(logger.recent(10).map((l) => [l.level, l.scope])).toEqual([
      ['info', 'net'],
      ['warn', null],
    ]);
    expect(seen).toHaveLength(2);
  });

  it('rotates at the size limit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'log-'));
    dirs.push(dir);
    const file = join(dir, 'main.log');
    const logger = createAppLogger({
      backend: log.create({ logId: `r${Date.now()}` }),
      file,
      maxBytes: 2000,
    });
    for (let i = 0; i < 100; i++) logger.info(`line ${i} ${'x'.repeat(40)}`);
    await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(join(dir, 'main.old.log'))).toBe(true);
  });
});
