import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventHub } from './event-hub';
import { createSettingsStore, defaultSettings } from './settings-service';

const defaults = defaultSettings({ installRoot: '/opt/llmrecon', downloadDir: '/tmp/dl' });

describe('settings-service', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const setup = async (content?: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'settings-'));
    dirs.push(dir);
    const file = join(dir, 'settings.json');
    if (content !== undefined) writeFileSync(file, content);
    const events = createEventHub();
    const seen: string[] = [];
    events.subscribe((e, p) => seen.push(`${e}:${JSON.stringify(p)}`));
    const store = await createSettingsStore({ file, defaults, events });
    return { dir, file, store, seen };
  };

  it('never returns the proxy password, only hasPassword', async () => {
    const { store, file } = await setup();
    const view = await store.update({
      network: { proxy: { url: 'http://proxy.local:3128', username: 'u', password: 's3cret' } },
    });
    expect(view.network.proxy).toEqual({
      url: 'http://proxy.local:3128',
      username: 'u',
      hasPassword: true,
    });
    expect(JSON.stringify(store.get())).not.toContain('s3cret');
    expect(store.current().secrets.proxyPassword).toBe('s3cret');
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('persists patches and reloads them', async () => {
    const { store, file, dir } = await setup();
    await store.update({
      jobs: { maxActive: 5 },
      network: { bandwidthLimitBytesPerSec: 1_048_576 },
    });
    const reloaded = await createSettingsStore({ file, defaults, events: createEventHub() });
    expect(reloaded.get().jobs.maxActive).toBe(5);
    expect(reloaded.get().network.bandwidthLimitBytesPerSec).toBe(1_048_576);
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });

  it('rejects an invalid patch with ERR_INVALID_ARGUMENT and keeps the old values', async () => {
    const { store } = await setup();
    await expect(store.update({ jobs: { maxActive: 99 } } as never)).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    });
    await expect(
      store.update({ network: { retry: { initialDelayMs: 50_000, maxDelayMs: 1000 } } }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    expect(store.get().jobs.maxActive).toBe(3);
  });

  it('moves a corrupt file aside, uses defaults and tells the user', async () => {
    const { store, dir, seen } = await setup('{ not json');
    expect(store.get().jobs.maxActive).toBe(3);
    const files = readdirSync(dir);
    expect(files.some((f) => f.startsWith('settings.json.corrupt-'))).toBe(true);
    expect(
      readFileSync(
        join(
          dir,
          files.find((f) => f.includes('corrupt'))!,
        ),
        'utf8',
      ),
    ).toBe('{ not json');
    expect(seen.join('\n')).toContain('ERR_SETTINGS_INVALID');
  });

  it('ignores a file whose values are out of range', async () => {
    const { store, seen } = await setup(JSON.stringify({ jobs: { maxActive: -4 } }));
    expect(store.get().jobs.maxActive).toBe(3);
    expect(seen.join('\n')).toContain('ERR_SETTINGS_INVALID');
  });

  it('clears the password when the proxy is removed and notifies subscribers', async () => {
    const { store } = await setup();
    const changes: (number | null)[] = [];
    store.onChange((n) => changes.push(n.network.bandwidthLimitBytesPerSec));
    await store.update({ network: { proxy: { url: 'http://p:1', password: 'x' } } });
    await store.update({ network: { proxy: { url: null } } });
    expect(store.current().secrets.proxyPassword).toBeNull();
    await store.update({ network: { bandwidthLimitBytesPerSec: 2048 } });
    expect(changes).toEqual([null, null, 2048]);
  });
});
