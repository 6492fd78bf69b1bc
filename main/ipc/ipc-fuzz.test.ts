import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS, invokeSchemas, type InvokeChannel } from '../../preload/contract';
import { createHandlerTable, type HandlerTable } from './handler-table';
import { createTestCore } from '../test-support/test-core';
import { createRng, randomValue } from '../test-support/fuzz';

const SEED = Number(process.env.FUZZ_SEED ?? 20261203);
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 250);

describe('IPC fuzzing (every contract channel)', () => {
  let table: HandlerTable;
  let dispose: () => Promise<void>;
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    const t = await createTestCore();
    dispose = t.dispose;
    table = createHandlerTable(t.core);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await dispose();
  });

  it.each(INVOKE_CHANNELS.map((c) => [c]))(
    '%s answers every invalid argument with ERR_INVALID_ARGUMENT and never throws',
    async (channel: InvokeChannel) => {
      const rng = createRng(SEED ^ channel.length ^ channel.charCodeAt(channel.length - 1));
      let invalid = 0;
      for (let i = 0; i < ITERATIONS; i++) {
        const args = randomValue(rng);
        // Only arguments the schema rejects are sent: valid ones would act on real services.
        if (invokeSchemas[channel].safeParse(args).success) continue;
        invalid++;
        const envelope = await table[channel](args, { trusted: true, origin: 'fuzz' });
        if (envelope.ok || envelope.error.code !== 'ERR_INVALID_ARGUMENT') {
          throw new Error(
            `seed ${SEED} iteration ${i}: ${channel}(${JSON.stringify(args)}) → ${JSON.stringify(envelope)}`,
          );
        }
        expect(typeof envelope.error.message).toBe('string');
        expect(envelope.error.retryable).toBe(false);
      }
      expect(invalid).toBeGreaterThan(ITERATIONS / 4);
      expect(unhandled).toEqual([]);
    },
  );

  it('never lets __proto__ in arguments pollute Object.prototype', async () => {
    const evil = JSON.parse('{"__proto__":{"polluted":true},"id":"x"}');
    await table['jobs:pause'](evil, { trusted: true, origin: 'fuzz' });
    await table['settings:update'](JSON.parse('{"__proto__":{"polluted":true}}'), {
      trusted: true,
      origin: 'fuzz',
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
