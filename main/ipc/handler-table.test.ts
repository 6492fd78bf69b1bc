import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS } from '../../preload/contract';
import { createHandlerTable, lookupHandler, type HandlerTable } from './handler-table';
import { createTestCore } from '../test-support/test-core';

const trusted = { trusted: true, origin: 'test' };

describe('handler-table', () => {
  let table: HandlerTable;
  let dispose: () => Promise<void>;
  const logged: string[] = [];
  beforeAll(async () => {
    const t = await createTestCore();
    dispose = t.dispose;
    table = createHandlerTable(t.core, (_level, m) => logged.push(m));
  });
  afterAll(() => dispose());

  it('has a handler for every contract channel', () => {
    expect(Object.keys(table).sort()).toEqual([...INVOKE_CHANNELS].sort());
  });

  describe('guard', () => {
    it('refuses an untrusted sender before looking at the arguments', async () => {
      const r = await table['settings:get'](undefined, {
        trusted: false,
        origin: 'https://evil.example/frame',
      });
      expect(r).toEqual({
        ok: false,
        error: expect.objectContaining({ code: 'ERR_UNTRUSTED_SENDER' }),
      });
      expect(logged.some((m) => m.includes('evil.example'))).toBe(true);
    });
  });

  describe('validation', () => {
    it.each([
      ['jobs:add', { url: 'http://insecure.example/x', dest: 'x' }],
      ['jobs:add', { url: 'https://ok.example/x', dest: 'x', extra: 1 }],
      ['jobs:add', { url: 'https://ok.example/x', dest: 'a\0b' }],
      ['jobs:add', { url: 'https://ok.example/x', dest: 'x', connections: 17 }],
      ['jobs:pause', { id: 42 }],
      ['jobs:pause', null],
      ['updates:install', { component: '../../etc' }],
      ['security:addPin', { host: 'bad host!', pin: 'x' }],
      ['settings:update', { jobs: { maxActive: 0 } }],
      ['settings:update', { network: { proxy: { url: 'http://user:pw@proxy:3128' } } }],
      ['settings:get', { unexpected: true }],
      ['diagnostics:recentLogs', { limit: -1 }],
    ])('%s rejects %j with ERR_INVALID_ARGUMENT', async (channel, args) => {
      const r = await table[channel as keyof HandlerTable](args, trusted);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('ERR_INVALID_ARGUMENT');
    });
  });

  describe('dispatch', () => {
    it('returns values in an ok envelope', async () => {
      const r = await table['settings:get'](undefined, trusted);
      expect(r).toMatchObject({ ok: true, value: { jobs: { maxActive: 3 } } });
      const u = await table['settings:update']({ jobs: { maxActive: 4 } }, trusted);
      expect(u).toMatchObject({ ok: true, value: { jobs: { maxActive: 4 } } });
    });

    it('turns thrown coded errors into error envelopes', async () => {
      const r = await table['settings:update'](
        { network: { retry: { initialDelayMs: 60_000, maxDelayMs: 100 } } },
        trusted,
      );
      expect(r).toEqual({
        ok: false,
        error: expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT', retryable: false }),
      });
    });
  });

  describe('lookupHandler()', () => {
    it('finds only real channels', () => {
      expect(lookupHandler(table, 'settings:get')).toBeTypeOf('function');
      for (const bad of ['toString', '__proto__', 'constructor', 'nope', 42, null])
        expect(lookupHandler(table, bad)).toBeUndefined();
    });
  });
});
