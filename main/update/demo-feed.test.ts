import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecureClient } from '../net/secure-client';
import { startDemoFeed, type DemoFeed } from './demo-feed';
import { directDownload } from './download-adapters';
import { createUpdateService } from './update-service';

let dir: string;
const open: { close(): Promise<void> }[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'llmrecon-demo-'));
});
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
  await rm(dir, { recursive: true, force: true });
});

function serviceFor(demo: DemoFeed, pins = demo.pins) {
  const client = new SecureClient({
    options: { ca: [demo.ca], useSystemRoots: false, retry: { maxAttempts: 1 } },
  });
  open.push(client);
  const s = createUpdateService({
    stateDir: join(dir, 'state'),
    feed: { url: demo.url, rootJson: demo.rootJson, pins, label: demo.label, demo: true },
    http: client,
    download: directDownload(client),
    installRoot: join(dir, 'LLMrecon'),
    coreBinaryPath: join(dir, 'LLMrecon', 'bin', 'llmrecon'),
    checkIntervalMs: 0,
  });
  open.push(s);
  return s;
}

describe('demo-feed', () => {
  describe('startDemoFeed()', () => {
    it('serves a signed demo feed on which check, install, update and rollback work end to end', async () => {
      const demo = await startDemoFeed(join(dir, 'state'));
      open.push(demo);
      expect(demo.label).toBe('Demo feed (local)');
      expect(demo.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const s = serviceFor(demo);
      await s.start();
      expect(s.status().feed).toMatchObject({
        state: 'ok',
        label: 'Demo feed (local)',
        demo: true,
      });
      expect(s.status().components.map((c) => [c.key, c.availableVersion])).toEqual([
        ['core', '1.1.0'],
        ['templates', '1.1.0'],
        ['module:openai', '1.1.0'],
      ]);
      expect(await s.install('core', { version: '1.0.0' })).toMatchObject({
        ok: true,
        toVersion: '1.0.0',
      });
      expect(await s.install('core')).toMatchObject({
        ok: true,
        fromVersion: '1.0.0',
        toVersion: '1.1.0',
      });
      expect(
        execFileSync(join(dir, 'LLMrecon/bin/llmrecon'), ['--version'], { encoding: 'utf8' }),
      ).toContain('1.1.0');
      expect(await s.rollback('core')).toMatchObject({ ok: true, toVersion: '1.0.0' });
      expect((await s.installAll()).every((r) => r.ok)).toBe(true);
    });

    it('keeps its CA, pin, root and port across restarts', async () => {
      const first = await startDemoFeed(join(dir, 'state'));
      await first.close();
      const second = await startDemoFeed(join(dir, 'state'));
      open.push(second);
      expect(second.ca).toBe(first.ca);
      expect(second.pins).toEqual(first.pins);
      expect(second.rootJson).toBe(first.rootJson);
      expect(second.url).toBe(first.url);
    });

    it('is refused when its pin does not match', async () => {
      const demo = await startDemoFeed(join(dir, 'state'));
      open.push(demo);
      const s = serviceFor(demo, ['sha256/' + Buffer.alloc(32, 1).toString('base64')]);
      expect((await s.check()).feed.error?.code).toBe('ERR_PIN_MISMATCH');
    });
  });
});
