import { describe, expect, it } from 'vitest';
import { resolveInside, safeEntrySegments } from './archive-paths';
import { parseVersionOutput } from './core-version';
import type { FeedTarget, TargetCustom } from './target-meta';
import { assertInstallAllowed, candidatesFor, selectRelease } from './version-rules';

function t(version: string, extra: Partial<TargetCustom> = {}): FeedTarget {
  const custom = {
    component: 'core',
    id: 'llmrecon',
    version,
    channel: 'stable',
    os: 'linux',
    arch: 'x64',
    format: 'tar.gz',
    releaseNotes: '',
    releasedAt: '2025-01-01T00:00:00.000Z',
    ...extra,
  } as TargetCustom;
  return {
    path: `core/${version}/${custom.os}-${custom.arch}`,
    length: 1,
    hashes: {},
    custom,
    key: 'core',
  };
}

const linux = { os: 'linux', arch: 'x64' };

describe('version-rules', () => {
  describe('selectRelease()', () => {
    const feed = [
      t('1.0.0'),
      t('1.2.0'),
      t('1.3.0-beta.1', { channel: 'beta' }),
      t('2.0.0', { os: 'darwin' }),
      t('1.2.0', { os: 'any', arch: 'any' }),
    ];
    it.each([
      ['stable', undefined, '1.2.0'],
      ['beta', undefined, '1.3.0-beta.1'],
      ['stable', '1.3.0-beta.1', '1.3.0-beta.1'],
      ['stable', '1.0.0', '1.0.0'],
    ] as const)('on %s with version %s picks %s', (channel, version, expected) => {
      expect(selectRelease(feed, 'core', linux, channel, version).custom.version).toBe(expected);
    });
    it('prefers the platform-specific build over an any/any one of the same version', () => {
      expect(candidatesFor(feed, 'core', linux, 'stable')[0].custom.os).toBe('linux');
    });
    it('throws ERR_TARGET_NOT_FOUND for other platforms and unknown versions', () => {
      expect(() =>
        selectRelease(feed, 'core', { os: 'win32', arch: 'x64' }, 'stable', '2.0.0'),
      ).toThrow(expect.objectContaining({ code: 'ERR_TARGET_NOT_FOUND' }));
      expect(() => selectRelease(feed, 'core', linux, 'stable', '9.0.0')).toThrow(
        expect.objectContaining({ code: 'ERR_TARGET_NOT_FOUND' }),
      );
    });
  });

  describe('assertInstallAllowed()', () => {
    it.each([
      ['1.1.0', { installed: '1.0.0', highest: '1.0.0' }, false, null],
      ['1.0.0', { installed: '1.1.0', highest: '1.1.0' }, false, 'ERR_DOWNGRADE'],
      ['1.0.0', { installed: '1.1.0', highest: '1.1.0' }, true, null],
      ['1.0.5', { installed: '1.0.0', highest: '1.1.0' }, false, 'ERR_DOWNGRADE'],
      ['1.1.0', { installed: '1.0.0', highest: '1.1.0' }, false, null],
      ['1.0.0', { installed: null, highest: null }, false, null],
    ] as const)('%s over %o (allow %s) -> %s', (version, facts, allow, code) => {
      const run = () => assertInstallAllowed(t(version), facts, allow);
      if (code) expect(run).toThrow(expect.objectContaining({ code }));
      else expect(run).not.toThrow();
    });
    it('enforces minVersion for installed bases only', () => {
      const target = t('2.0.0', { minVersion: '1.5.0' });
      expect(() =>
        assertInstallAllowed(target, { installed: '1.4.0', highest: '1.4.0' }, false),
      ).toThrow(expect.objectContaining({ code: 'ERR_MIN_VERSION' }));
      expect(() =>
        assertInstallAllowed(target, { installed: null, highest: null }, false),
      ).not.toThrow();
    });
  });

  describe('archive paths', () => {
    it.each(['../x', 'a/../../x', '/etc/passwd', 'C:/x', 'a\\..\\x', '', 'a\0b'])(
      'refuses %j',
      (name) => {
        expect(() => safeEntrySegments(name)).toThrow(
          expect.objectContaining({ code: 'ERR_ARCHIVE_UNSAFE' }),
        );
      },
    );
    it('resolves links like the kernel, not lexically', () => {
      const links = new Map([['s', '.']]);
      expect(resolveInside(['s', '..', 'x'], links)).toBeNull();
      expect(resolveInside(['a', '..', 'b'], new Map())).toEqual(['b']);
      expect(resolveInside(['l'], new Map([['l', 'l']]))).toBeNull();
    });
  });

  describe('parseVersionOutput()', () => {
    it.each([
      ['llmrecon version 1.2.3', '1.2.3'],
      ['LLMrecon v2.0.0-beta.1 (linux)', '2.0.0-beta.1'],
      ['no version', null],
    ])('%j -> %s', (out, v) => expect(parseVersionOutput(out)).toBe(v));
  });
});
