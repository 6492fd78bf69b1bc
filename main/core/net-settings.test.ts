import { describe, expect, it } from 'vitest';
import { applySettingsPatch, defaultSettings } from './settings-service';
import { connectionPatchFromSettings, proxyUrlFromSettings } from './net-settings';
import { resolveOptions } from '../net/options';

const base = defaultSettings({ installRoot: '/i', downloadDir: '/d' });

describe('net-settings', () => {
  describe('proxyUrlFromSettings()', () => {
    it('returns null without a proxy', () => {
      expect(proxyUrlFromSettings(base)).toBeNull();
    });
    it('embeds encoded credentials only when a user is set', () => {
      const s = applySettingsPatch(base, {
        network: {
          proxy: { url: 'http://proxy.local:3128', username: 'al ice', password: 'p@ss:w/rd' },
        },
      });
      const u = new URL(proxyUrlFromSettings(s)!);
      expect(decodeURIComponent(u.username)).toBe('al ice');
      expect(decodeURIComponent(u.password)).toBe('p@ss:w/rd');
      const anon = applySettingsPatch(base, {
        network: { proxy: { url: 'http://proxy.local:3128' } },
      });
      expect(proxyUrlFromSettings(anon)).toBe('http://proxy.local:3128');
    });
  });

  describe('connectionPatchFromSettings()', () => {
    it('produces options the client accepts, keeping TLS 1.3 and no total timeout by default', () => {
      const o = resolveOptions(connectionPatchFromSettings(base));
      expect(o.minTlsVersion).toBe('TLSv1.3');
      expect(o.timeouts.total).toBe(0);
      expect(o.revocation).toBe('soft');
      expect(o.bandwidthLimit).toBeNull();
      expect(o.timeouts.lowSpeed).toEqual({ bytesPerSecond: 1024, windowMs: 60_000 });
    });
    it('carries live-changeable limits', () => {
      const s = applySettingsPatch(base, {
        network: {
          bandwidthLimitBytesPerSec: 1_000_000,
          revocation: 'hard',
          extraCaFiles: ['/ca.pem'],
        },
      });
      const p = connectionPatchFromSettings(s);
      expect(p).toMatchObject({
        bandwidthLimit: 1_000_000,
        revocation: 'hard',
        caFiles: ['/ca.pem'],
      });
    });
  });
});
