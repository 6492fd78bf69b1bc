import { describe, expect, it } from 'vitest';
import { invokeSchemas } from '../../../preload/contract';
import { settingsView } from '../test-fixtures';
import { fieldOfServerMessage, fieldsFor, formFromView, patchFromForm } from './settings-form';

describe('settings-form', () => {
  describe('formFromView()', () => {
    it('never puts a password in the form, even when one is stored', () => {
      const f = formFromView(settingsView());
      expect(f.password).toBe('');
      expect(JSON.stringify(f)).not.toMatch(/hasPassword/);
    });
    it('shows the bandwidth limit in KiB/s and empty for unlimited', () => {
      const v = settingsView();
      expect(formFromView(v).values['network.bandwidthLimitBytesPerSec']).toBe('');
      v.network.bandwidthLimitBytesPerSec = 512 * 1024;
      expect(formFromView(v).values['network.bandwidthLimitBytesPerSec']).toBe('512');
    });
    it('has an input for every leaf of the view except the derived hasPassword', () => {
      const v = settingsView();
      const leaves: string[] = [];
      const walk = (o: object, prefix: string) => {
        for (const [k, val] of Object.entries(o)) {
          const path = prefix ? `${prefix}.${k}` : k;
          if (val && typeof val === 'object' && !Array.isArray(val)) walk(val, path);
          else leaves.push(path);
        }
      };
      walk(v, '');
      const expected = leaves.filter((p) => p !== 'network.proxy.hasPassword').sort();
      expect(
        fieldsFor(v)
          .map((f) => f.path)
          .sort(),
      ).toEqual(expected);
    });
  });
  describe('patchFromForm()', () => {
    it('sends only changed fields, scaled to the stored unit', () => {
      const v = settingsView();
      const f = formFromView(v);
      f.values['network.bandwidthLimitBytesPerSec'] = '256';
      f.values['feed.channel'] = 'beta';
      const r = patchFromForm(v, f);
      expect(r.errors).toEqual({});
      expect(r.patch).toEqual({
        network: { bandwidthLimitBytesPerSec: 262_144 },
        feed: { channel: 'beta' },
      });
      expect(invokeSchemas['settings:update'].safeParse(r.patch).success).toBe(true);
    });
    it('produces an empty patch when nothing changed', () => {
      const v = settingsView();
      expect(patchFromForm(v, formFromView(v))).toMatchObject({ changed: 0, patch: {} });
    });
    it('sends a typed password, leaves an empty box alone, and clears on request', () => {
      const v = settingsView();
      const f = formFromView(v);
      expect(getPassword(patchFromForm(v, f).patch)).toBeUndefined();
      expect(getPassword(patchFromForm(v, { ...f, password: 's3cret' }).patch)).toBe('s3cret');
      expect(getPassword(patchFromForm(v, { ...f, clearPassword: true }).patch)).toBeNull();
    });
    it('rejects out-of-range numbers, bad URLs and credentials in the proxy URL', () => {
      const v = settingsView();
      const f = formFromView(v);
      f.values['jobs.maxActive'] = '11';
      f.values['feed.url'] = 'http://feed.test/';
      f.values['network.proxy.url'] = 'http://u:p@proxy.test:3128';
      f.values['network.retry.maxAttempts'] = '2.5';
      const r = patchFromForm(v, f);
      expect(r.patch).toBeNull();
      expect(r.errors['jobs.maxActive']).toMatch(/between 1–10/);
      expect(r.errors['feed.url']).toMatch(/https/);
      expect(r.errors['network.proxy.url']).toMatch(/own fields/);
      expect(r.errors['network.retry.maxAttempts']).toMatch(/whole number/);
    });
    it('refuses a first retry delay above the longest one', () => {
      const v = settingsView();
      const f = formFromView(v);
      f.values['network.retry.initialDelayMs'] = '40000';
      expect(patchFromForm(v, f).errors['network.retry.initialDelayMs']).toMatch(/exceed/);
    });
    it('every patch it builds passes the contract schema', () => {
      const v = settingsView();
      const f = formFromView(v);
      Object.assign(f.values, {
        'feed.url': 'https://feed.test/',
        'feed.checkIntervalHours': '0.5',
        'network.timeouts.totalMs': '0',
        'network.extraCaFiles': '/etc/ca1.pem\n/etc/ca2.pem',
        'appearance.theme': 'dark',
        'jobs.autoResume': true,
      });
      const r = patchFromForm(v, { ...f, password: 'pw' });
      expect(r.errors).toEqual({});
      expect(invokeSchemas['settings:update'].safeParse(r.patch).success).toBe(true);
    });
  });
  describe('fieldOfServerMessage()', () => {
    it('maps main validation messages to fields', () => {
      expect(fieldOfServerMessage('network.retry.maxAttempts: too big')).toBe(
        'network.retry.maxAttempts',
      );
      expect(fieldOfServerMessage('something else')).toBeNull();
    });
  });
});

function getPassword(patch: unknown): unknown {
  return (patch as { network?: { proxy?: { password?: unknown } } } | null)?.network?.proxy
    ?.password;
}
