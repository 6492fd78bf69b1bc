import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redact';

describe('redactSecrets()', () => {
  it.each([
    ['proxy http://alice:hunter2@proxy.local:3128/', 'hunter2'],
    ['GET https://u:p4ss@host/x', 'p4ss'],
    ['Proxy-Authorization: Basic YWxpY2U6aHVudGVyMg==', 'YWxpY2U6aHVudGVyMg=='],
    ['{"password":"topsecret","user":"x"}', 'topsecret'],
    ['ws://127.0.0.1:5000/ipc?token=abcdef123456', 'abcdef123456'],
    ['open http://127.0.0.1:5000/#token=abcdef123456', 'abcdef123456'],
    ['cli --cert a.pem --pass hunter2 --key k', 'hunter2'],
    ['-----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY-----', 'MIIEv'],
    ['-----BEGIN EC PRIVATE KEY-----\nMHcC\n-----END EC PRIVATE KEY-----', 'MHcC'],
  ])('removes the secret from %s', (input, secret) => {
    const out = redactSecrets(input);
    expect(out).not.toContain(secret);
    expect(out).toContain('***'.slice(0, out.includes('[private key redacted]') ? 0 : 3));
  });

  it('leaves ordinary text alone', () => {
    const text = 'downloaded https://example.com/file.tar.gz sha256 abc123 in 4 s';
    expect(redactSecrets(text)).toBe(text);
  });
});
