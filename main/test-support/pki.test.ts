import { describe, expect, it, afterAll } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { createTestPki } from './pki';

describe('createTestPki()', () => {
  const pki = createTestPki();
  afterAll(() => pki.cleanup());

  it('issues a leaf that chains to the root through the intermediate', () => {
    const leaf = new X509Certificate(pki.leaf.cert);
    const int = new X509Certificate(pki.intermediate.cert);
    const root = new X509Certificate(pki.root.cert);
    expect(leaf.verify(int.publicKey)).toBe(true);
    expect(int.verify(root.publicKey)).toBe(true);
    expect(leaf.checkHost('localhost')).toBe('localhost');
    expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');
  });

  it('can issue expired and future leaves', () => {
    const expired = new X509Certificate(
      pki.issueLeaf('expired', { startDays: -30, days: 10 }).cert,
    );
    expect(new Date(expired.validTo).getTime()).toBeLessThan(Date.now());
    const future = new X509Certificate(pki.issueLeaf('future', { startDays: 5 }).cert);
    expect(new Date(future.validFrom).getTime()).toBeGreaterThan(Date.now());
  });

  it('gives distinct pins per key', () => {
    expect(pki.leaf.pin).toMatch(/^sha256\/[A-Za-z0-9+/]{43}=$/);
    expect(new Set([pki.leaf.pin, pki.intermediate.pin, pki.root.pin]).size).toBe(3);
  });
});
