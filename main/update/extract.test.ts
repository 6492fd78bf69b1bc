import { lstat, mkdir, mkdtemp, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extractArchive, type ExtractLimits } from './extract';
import { makeZip, rawTarGz, type RawTarEntry } from './test-archives';

let dir: string;
let stage: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'llmrecon-extract-'));
  stage = join(dir, 'outer', 'stage');
  await mkdir(stage, { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function tarGz(entries: RawTarEntry[], limits?: ExtractLimits) {
  const file = join(dir, 'a.tar.gz');
  await writeFile(file, rawTarGz(entries));
  return extractArchive(file, stage, 'tar.gz', limits);
}

async function zip(buf: Buffer, limits?: ExtractLimits) {
  const file = join(dir, 'a.zip');
  await writeFile(file, buf);
  return extractArchive(file, stage, 'zip', limits);
}

describe('extract', () => {
  describe('extractArchive() tar.gz', () => {
    it('extracts files, folders and inside links with clamped modes', async () => {
      const result = await tarGz([
        { name: 'templates/', type: '5' },
        { name: 'templates/a.yaml', data: 'id: a\n', mode: 0o4777 },
        { name: 'bin/llmrecon', data: '#!/bin/sh\necho 1\n', mode: 0o775 },
        { name: 'templates/b.yaml', type: '2', linkname: 'a.yaml' },
        { name: 'copy.yaml', type: '1', linkname: 'templates/a.yaml' },
      ]);
      expect(result.files).toBe(3);
      expect(await readFile(join(stage, 'templates/a.yaml'), 'utf8')).toBe('id: a\n');
      expect((await stat(join(stage, 'templates/a.yaml'))).mode & 0o7777).toBe(0o755);
      expect((await stat(join(stage, 'bin/llmrecon'))).mode & 0o7777).toBe(0o755);
      expect(await readlink(join(stage, 'templates/b.yaml'))).toBe('a.yaml');
      expect((await lstat(join(stage, 'copy.yaml'))).nlink).toBe(1);
    });

    it('refuses a ../ path (tar slip) with ERR_ARCHIVE_UNSAFE and writes nothing outside', async () => {
      await expect(tarGz([{ name: '../evil.txt', data: 'x' }])).rejects.toMatchObject({
        code: 'ERR_ARCHIVE_UNSAFE',
      });
      expect(existsSync(join(dir, 'outer', 'evil.txt'))).toBe(false);
    });

    it('refuses absolute paths', async () => {
      await expect(tarGz([{ name: '/tmp/evil.txt', data: 'x' }])).rejects.toMatchObject({
        code: 'ERR_ARCHIVE_UNSAFE',
      });
    });

    it('refuses a symlink that points outside, then a file written through it', async () => {
      await expect(
        tarGz([
          { name: 'link', type: '2', linkname: '../..' },
          { name: 'link/evil.txt', data: 'x' },
        ]),
      ).rejects.toMatchObject({ code: 'ERR_ARCHIVE_UNSAFE' });
      expect(existsSync(join(dir, 'evil.txt'))).toBe(false);
    });

    it('refuses an absolute symlink target', async () => {
      await expect(
        tarGz([{ name: 'passwd', type: '2', linkname: '/etc/passwd' }]),
      ).rejects.toMatchObject({
        code: 'ERR_ARCHIVE_UNSAFE',
      });
    });

    it('refuses a link chain that only escapes through another link (s -> ., s/l -> ../x)', async () => {
      await expect(
        tarGz([
          { name: 's', type: '2', linkname: '.' },
          { name: 'l', type: '2', linkname: 's/../x' },
        ]),
      ).rejects.toMatchObject({ code: 'ERR_ARCHIVE_UNSAFE' });
    });

    it('refuses writing a file through an inside link', async () => {
      await expect(
        tarGz([
          { name: 'real/', type: '5' },
          { name: 'alias', type: '2', linkname: 'real' },
          { name: 'alias/x', data: 'x' },
        ]),
      ).rejects.toMatchObject({ code: 'ERR_ARCHIVE_UNSAFE' });
    });

    it('refuses a hard link to a file outside the archive', async () => {
      await expect(
        tarGz([{ name: 'h', type: '1', linkname: '../../etc/passwd' }]),
      ).rejects.toMatchObject({
        code: 'ERR_ARCHIVE_UNSAFE',
      });
    });

    it('refuses device files and FIFOs', async () => {
      await expect(tarGz([{ name: 'null', type: '3' }])).rejects.toMatchObject({
        code: 'ERR_ARCHIVE_UNSAFE',
      });
      await rm(stage, { recursive: true });
      await mkdir(stage);
      await expect(tarGz([{ name: 'fifo', type: '6' }])).rejects.toMatchObject({
        code: 'ERR_ARCHIVE_UNSAFE',
      });
    });

    it('refuses an entry over the per-entry cap and a gzip bomb over the total cap', async () => {
      const limits = { maxEntryBytes: 1024, maxTotalBytes: 64 * 1024, maxEntries: 100 };
      await expect(
        tarGz([{ name: 'big', data: Buffer.alloc(2048) }], limits),
      ).rejects.toMatchObject({
        code: 'ERR_ARCHIVE_TOO_LARGE',
      });
      await rm(stage, { recursive: true });
      await mkdir(stage);
      const many = Array.from({ length: 90 }, (_, i) => ({
        name: `f${i}`,
        data: Buffer.alloc(1000),
      }));
      await expect(tarGz(many, limits)).rejects.toMatchObject({ code: 'ERR_ARCHIVE_TOO_LARGE' });
    });

    it('refuses a corrupt archive with ERR_ARCHIVE_INVALID', async () => {
      const file = join(dir, 'bad.tar.gz');
      await writeFile(file, rawTarGz([{ name: 'a', data: 'hello' }]).subarray(0, 30));
      await expect(extractArchive(file, stage, 'tar.gz')).rejects.toMatchObject({
        code: 'ERR_ARCHIVE_INVALID',
      });
    });
    it('fails a tar.gz cut off inside an entry with ERR_ARCHIVE_INVALID instead of hanging (regression: fuzz-archives found the hang)', async () => {
      const { gzipSync } = await import('node:zlib');
      const { rawTar } = await import('./test-archives');
      // Incompressible data, so a cut in the gzip stream lands inside the entry's bytes.
      const { createHash } = await import('node:crypto');
      const noise = Buffer.concat(
        Array.from({ length: 40 }, (_, i) => createHash('sha256').update(String(i)).digest()),
      );
      const tar = rawTar([{ name: 'a/b', data: noise }]);
      const gz = gzipSync(tar);
      // Truncated gzip (the stream errors mid-entry) and a whole gzip of a truncated tar.
      for (const [name, data] of [
        ['cut.tar.gz', gz.subarray(0, 700)],
        ['short.tar.gz', gzipSync(tar.subarray(0, 512 + 300))],
      ] as const) {
        const file = join(dir, name);
        await writeFile(file, data);
        const target = await mkdtemp(join(dir, 'stage-'));
        const hang = new Promise((r) => setTimeout(() => r('hung'), 10_000).unref());
        const result = await Promise.race([
          extractArchive(file, target, 'tar.gz').then(
            () => 'extracted',
            (e: { code?: string }) => e.code,
          ),
          hang,
        ]);
        expect(result).toBe('ERR_ARCHIVE_INVALID');
      }
    });
  });

  describe('extractArchive() zip', () => {
    it('extracts files and folders', async () => {
      await zip(
        await makeZip([
          { name: 'mod/', dir: true },
          { name: 'mod/module.yaml', data: 'id: m\n' },
          { name: 'run.sh', data: 'x', mode: 0o100755 },
        ]),
      );
      expect(await readFile(join(stage, 'mod/module.yaml'), 'utf8')).toBe('id: m\n');
      expect((await stat(join(stage, 'run.sh'))).mode & 0o777).toBe(0o755);
    });

    it('refuses zip-slip names with ERR_ARCHIVE_UNSAFE', async () => {
      const buf = await makeZip([{ name: 'aa/evil.txt', data: 'x' }], {
        'aa/evil.txt': '../evil.txt',
      });
      await expect(zip(buf)).rejects.toMatchObject({ code: 'ERR_ARCHIVE_UNSAFE' });
      expect(existsSync(join(dir, 'outer', 'evil.txt'))).toBe(false);
    });

    it('refuses a symlink entry pointing outside', async () => {
      const buf = await makeZip([{ name: 'link', data: '../../../etc', mode: 0o120777 }]);
      await expect(zip(buf)).rejects.toMatchObject({ code: 'ERR_ARCHIVE_UNSAFE' });
    });

    it('refuses a zip bomb by its declared size before inflating', async () => {
      const buf = await makeZip([{ name: 'bomb', data: Buffer.alloc(8 * 1024 * 1024) }]);
      expect(buf.length).toBeLessThan(64 * 1024);
      await expect(
        zip(buf, { maxEntryBytes: 1024 * 1024, maxTotalBytes: 2 * 1024 * 1024, maxEntries: 10 }),
      ).rejects.toMatchObject({
        code: 'ERR_ARCHIVE_TOO_LARGE',
      });
      expect(existsSync(join(stage, 'bomb'))).toBe(false);
    });

    it('refuses an unsafe entry that also lies about its size without an uncaught stream error (regression: fuzz-archives crashed here)', async () => {
      const buf = Buffer.from(
        await makeZip([{ name: 'ab/x', data: Buffer.alloc(500, 1) }], { 'ab/x': '../x' }),
      );
      // Shrink the central directory's uncompressed size (offset 24 of each 0x02014b50 record).
      const cd = buf.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      buf.writeUInt32LE(10, cd + 24);
      const uncaught: unknown[] = [];
      const onUncaught = (err: unknown): void => void uncaught.push(err);
      process.on('uncaughtException', onUncaught);
      try {
        await expect(zip(buf)).rejects.toMatchObject({ code: 'ERR_ARCHIVE_UNSAFE' });
        await new Promise((r) => setTimeout(r, 200));
      } finally {
        process.off('uncaughtException', onUncaught);
      }
      expect(uncaught).toEqual([]);
    });

    it('refuses an entry whose data inflates past its declared size', async () => {
      const buf = await makeZip([{ name: 'x', data: Buffer.alloc(5000) }]);
      // Patch the central directory's uncompressed size (5000 -> 100).
      const cd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      buf.writeUInt32LE(100, cd + 24);
      await expect(zip(buf)).rejects.toMatchObject({
        code: expect.stringMatching(/ERR_ARCHIVE_(INVALID|TOO_LARGE)/),
      });
    });
  });
});
