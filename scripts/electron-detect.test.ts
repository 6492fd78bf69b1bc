import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error plain ESM script without types
import { decideMode, electronBinary } from './electron-detect.mjs';

describe('electron-detect', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const fakeRoot = (withBinary: boolean) => {
    const root = mkdtempSync(join(tmpdir(), 'edetect-'));
    dirs.push(root);
    const dir = join(root, 'node_modules', 'electron');
    mkdirSync(join(dir, 'dist'), { recursive: true });
    if (withBinary) {
      writeFileSync(join(dir, 'path.txt'), 'electron');
      writeFileSync(join(dir, 'dist', 'electron'), '#!/bin/sh\n');
    }
    return root;
  };
  const never = () => {
    throw new Error('must not fetch');
  };

  it('uses host mode when no binary exists and fetching is disabled in CI', () => {
    const d = decideMode({
      root: fakeRoot(false),
      env: { CI: 'true' },
      platform: 'linux',
      argv: [],
      fetch: never,
    });
    expect(d.mode).toBe('host');
    expect(d.reason).toContain('no Electron binary');
  });

  it('reports why fetching failed', () => {
    const d = decideMode({
      root: fakeRoot(false),
      env: {},
      platform: 'linux',
      argv: [],
      fetch: () => ({
        ok: false,
        reason: 'the Electron binary could not be downloaded (getaddrinfo ENOTFOUND)',
      }),
    });
    expect(d).toEqual({ mode: 'host', reason: expect.stringContaining('ENOTFOUND') });
  });

  it('opens Electron where a binary and a display exist', () => {
    const root = fakeRoot(true);
    const d = decideMode({
      root,
      env: { DISPLAY: ':0' },
      platform: 'linux',
      argv: [],
      fetch: never,
    });
    expect(d).toEqual({ mode: 'electron', bin: electronBinary(root, {}) });
  });

  it('falls back to host mode without a display on Linux', () => {
    const d = decideMode({
      root: fakeRoot(true),
      env: {},
      platform: 'linux',
      argv: [],
      fetch: never,
    });
    expect(d.mode).toBe('host');
    expect(d.reason).toContain('no display');
  });

  it('honours an explicit --host', () => {
    const d = decideMode({
      root: fakeRoot(true),
      env: { DISPLAY: ':0' },
      platform: 'linux',
      argv: ['--host'],
      fetch: never,
    });
    expect(d.mode).toBe('host');
  });
});
