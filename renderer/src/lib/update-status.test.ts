import { describe, expect, it } from 'vitest';
import type { UpdateStatus } from '../../../preload/contract';
import { feedBanner } from './update-status';

const status = (feed: Partial<UpdateStatus['feed']>): UpdateStatus => ({
  feed: {
    url: 'https://127.0.0.1:1/',
    label: 'Demo',
    demo: true,
    state: 'ok',
    validUntil: '2030-01-01T00:00:00Z',
    lastCheckedAt: 1,
    error: null,
    ...feed,
  },
  components: [],
});

describe('update-status', () => {
  describe('feedBanner()', () => {
    it('states how long the signed metadata stays valid', () => {
      const b = feedBanner(status({}), Date.parse('2029-01-01T00:00:00Z'));
      expect(b.tone).toBe('good');
      expect(b.text).toMatch(/^Signed metadata valid until 20(29|30)-/);
    });
    it('warns when the metadata expires within a day', () => {
      expect(feedBanner(status({}), Date.parse('2029-12-31T12:00:00Z')).tone).toBe('warn');
    });
    it('makes a frozen (expired) feed and a bad signature unmistakable', () => {
      expect(feedBanner(status({ state: 'expired' }), 0)).toMatchObject({ tone: 'bad' });
      expect(feedBanner(status({ state: 'expired' }), 0).text).toMatch(/frozen feed/);
      expect(feedBanner(status({ state: 'invalid' }), 0).text).toMatch(/signature invalid/);
    });
  });
});
