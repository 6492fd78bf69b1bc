import { describe, expect, it } from 'vitest';
import { defaultSecureDownloadOptions, resolveDownloadOptions } from './options';

describe('options', () => {
  describe('defaultSecureDownloadOptions()', () => {
    it('defaults to 4 connections, 100 ms progress and delete-on-mismatch', () => {
      expect(defaultSecureDownloadOptions()).toMatchObject({
        connections: 4,
        progressIntervalMs: 100,
        onIntegrityFailure: 'delete',
        highWaterMark: 256 * 1024,
        writeBatchBytes: 512 * 1024,
        requestChunkBytes: 8 * 1024 * 1024,
      });
    });
  });

  describe('resolveDownloadOptions()', () => {
    it('merges partial options and ignores undefined values', () => {
      expect(resolveDownloadOptions({ connections: 16, expectedSize: undefined }).connections).toBe(
        16,
      );
      expect(resolveDownloadOptions({ expectedSize: undefined }).expectedSize).toBeNull();
    });

    it.each([
      { connections: 0 },
      { connections: 17 },
      { connections: 2.5 },
      { minSegmentSize: 0 },
      { expectedSize: -1 },
      { checkpointFraction: 0 },
    ])('rejects %j with ERR_INVALID_ARGUMENT', (bad) => {
      expect(() => resolveDownloadOptions(bad)).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
      );
    });
  });
});
