import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { runCli, usage } from './cli-main';

function capture() {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: '', err: '' };
  out.on('data', (d) => (chunks.out += d));
  err.on('data', (d) => (chunks.err += d));
  return { io: { stdout: out, stderr: err, isTTY: false }, chunks };
}

describe('runCli()', () => {
  it('prints the version with --version', async () => {
    const { io, chunks } = capture();
    expect(await runCli(['--version'], io)).toBe(0);
    expect(chunks.out).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('prints usage with --help and exits 0', async () => {
    const { io, chunks } = capture();
    expect(await runCli(['--help'], io)).toBe(0);
    expect(chunks.out).toBe(usage());
    expect(chunks.out).toContain('Usage: llmrecon-um');
  });

  it('exits 2 with usage on stderr for an unknown command', async () => {
    const { io, chunks } = capture();
    expect(await runCli(['frobnicate'], io)).toBe(2);
    expect(chunks.err).toContain('Unknown command "frobnicate"');
    expect(chunks.out).toBe('');
  });

  it('does not treat prototype keys as commands', async () => {
    const { io } = capture();
    expect(await runCli(['constructor'], io)).toBe(2);
    expect(await runCli(['__proto__'], io)).toBe(2);
  });
});
