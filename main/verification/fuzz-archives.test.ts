/**
 * Archive fuzzing (issue 10): crafted and random tar.gz and zip files through the update
 * extractor. Whatever the archive, nothing outside the staging folder changes (also not
 * through links the archive makes), nothing inside it points outside, the caps hold, and
 * every refusal is a coded ArchiveError.
 */
import { gzipSync } from 'node:zlib';
import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readlink,
  realpath,
  rm,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { extractArchive, type ExtractLimits } from '../update/extract';
import type { ArchiveFormat } from '../update/target-meta';
import { makeZip, rawTar, rawTarGz, type RawTarEntry } from '../update/test-archives';
import { bytes, fuzzIterations, int, pick, suiteRng } from './fuzz-config';
import { treeFingerprint } from './matrix-support';

const LIMITS: ExtractLimits = {
  maxEntryBytes: 64 * 1024,
  maxTotalBytes: 256 * 1024,
  maxEntries: 40,
};
const CODES = ['ERR_ARCHIVE_UNSAFE', 'ERR_ARCHIVE_TOO_LARGE', 'ERR_ARCHIVE_INVALID'];

let sandbox: string;
let outside: string;
let outsideFingerprint: string;
let counter = 0;

beforeAll(async () => {
  sandbox = await mkdtemp(join(tmpdir(), 'llmrecon-archfuzz-'));
  // What an escape would hit: a sibling folder with a file, a folder and a link.
  outside = join(sandbox, 'outside');
  await mkdir(join(outside, 'dir'), { recursive: true });
  await writeFile(join(outside, 'canary.txt'), 'canary\n');
  await writeFile(join(outside, 'dir', 'x'), 'x\n');
  outsideFingerprint = await treeFingerprint(outside);
});
afterAll(async () => {
  await rm(sandbox, { recursive: true, force: true });
});

interface Verdict {
  ok: boolean;
  code: string | null;
}

/**
 * Extract `data` into a fresh staging folder beside `outside`, then check every property.
 * Returns what happened so crafted cases can assert the exact code.
 */
async function extractAndCheck(
  data: Buffer,
  format: ArchiveFormat,
  label: string,
): Promise<Verdict> {
  const n = counter++;
  const staging = join(sandbox, `staging-${n}`);
  const file = join(sandbox, `in-${n}.${format === 'zip' ? 'zip' : 'tgz'}`);
  await mkdir(staging);
  await writeFile(file, data);
  let verdict: Verdict;
  try {
    // An extraction that never settles is a finding too (a hung installer), not a timeout.
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${label}: extraction hung`)), 10_000);
    });
    try {
      await Promise.race([extractArchive(file, staging, format, LIMITS), hung]);
    } finally {
      clearTimeout(timer);
    }
    verdict = { ok: true, code: null };
  } catch (err) {
    if (err instanceof Error && err.message.endsWith('extraction hung')) {
      await writeFile(join(tmpdir(), 'llmrecon-hung-archive.bin'), data);
      throw err;
    }
    if (!(err instanceof AppError))
      throw new Error(`${label}: extraction threw a non-AppError: ${String(err)}`, {
        cause: err,
      });
    expect(CODES, label).toContain(err.code);
    verdict = { ok: false, code: err.code };
  }
  // Nothing outside staging changed, and nothing new appeared beside it.
  expect(await treeFingerprint(outside), `${label}: outside changed`).toBe(outsideFingerprint);
  const siblings = (await readdir(sandbox)).filter(
    (x) => x !== 'outside' && !/^staging-\d+$/.test(x) && !/^in-\d+\.(zip|tgz)$/.test(x),
  );
  expect(siblings, `${label}: files appeared beside staging`).toEqual([]);
  // Everything inside resolves inside; modes are clamped; caps hold.
  const root = await realpath(staging);
  let files = 0;
  let total = 0;
  const walk = async (dir: string): Promise<void> => {
    for (const name of await readdir(dir)) {
      const p = join(dir, name);
      const st = await lstat(p);
      if (st.isSymbolicLink()) {
        const target = resolve(dirname(p), await readlink(p));
        const real = await realpath(p).catch(() => target);
        for (const where of [target, real])
          expect(
            where === root || where.startsWith(root + sep),
            `${label}: ${p} -> ${where} leaves staging`,
          ).toBe(true);
      } else if (st.isDirectory()) await walk(p);
      else {
        expect(st.isFile(), `${label}: ${p} is special`).toBe(true);
        expect(st.mode & 0o7022, `${label}: ${p} mode ${st.mode.toString(8)}`).toBe(0);
        expect(st.size).toBeLessThanOrEqual(LIMITS.maxEntryBytes);
        files++;
        total += st.size;
      }
    }
  };
  await walk(root);
  expect(files).toBeLessThanOrEqual(LIMITS.maxEntries);
  expect(total).toBeLessThanOrEqual(LIMITS.maxTotalBytes);
  await rm(staging, { recursive: true, force: true });
  await rm(file, { force: true });
  return verdict;
}

const tgz = (entries: RawTarEntry[]): Buffer => rawTarGz(entries);

describe('fuzz: archives', () => {
  describe('extractArchive() on crafted archives', () => {
    const crafted: [string, ArchiveFormat, () => Promise<Buffer>, string | null][] = [
      ['a clean tar.gz', 'tar.gz', async () => tgz([{ name: 'a/b.txt', data: 'ok' }]), null],
      [
        'tar: ../ path',
        'tar.gz',
        async () => tgz([{ name: '../outside/pwn', data: 'x' }]),
        'ERR_ARCHIVE_UNSAFE',
      ],
      [
        'tar: absolute path',
        'tar.gz',
        async () => tgz([{ name: `${outside}/pwn`, data: 'x' }]),
        'ERR_ARCHIVE_UNSAFE',
      ],
      [
        'tar: symlink out, then a file through it',
        'tar.gz',
        async () =>
          tgz([
            { name: 'l', type: '2', linkname: '../outside' },
            { name: 'l/pwn', data: 'x' },
          ]),
        'ERR_ARCHIVE_UNSAFE',
      ],
      [
        'tar: absolute symlink',
        'tar.gz',
        async () => tgz([{ name: 'l', type: '2', linkname: outside }]),
        'ERR_ARCHIVE_UNSAFE',
      ],
      [
        'tar: link-to-dot trick (s -> ., s/l -> ../x)',
        'tar.gz',
        async () =>
          tgz([
            { name: 's', type: '2', linkname: '.' },
            { name: 's/l', type: '2', linkname: '../outside/canary.txt' },
          ]),
        'ERR_ARCHIVE_UNSAFE',
      ],
      [
        'tar: a file over a symlink that exists in the archive',
        'tar.gz',
        async () =>
          tgz([
            { name: 'd/', type: '5' },
            { name: 'd/l', type: '2', linkname: '../e' },
            { name: 'd/l', data: 'overwrite' },
          ]),
        'ERR_ARCHIVE_UNSAFE',
      ],
      [
        'tar: hard link out',
        'tar.gz',
        async () => tgz([{ name: 'h', type: '1', linkname: '../outside/canary.txt' }]),
        'ERR_ARCHIVE_UNSAFE',
      ],
      [
        'tar: hard link to /etc/passwd',
        'tar.gz',
        async () => tgz([{ name: 'h', type: '1', linkname: '/etc/passwd' }]),
        'ERR_ARCHIVE_UNSAFE',
      ],
      [
        'tar: character device',
        'tar.gz',
        async () => tgz([{ name: 'dev', type: '3' }]),
        'ERR_ARCHIVE_UNSAFE',
      ],
      ['tar: FIFO', 'tar.gz', async () => tgz([{ name: 'fifo', type: '6' }]), 'ERR_ARCHIVE_UNSAFE'],
      [
        'tar: setuid file (mode clamped, not refused)',
        'tar.gz',
        async () => tgz([{ name: 'suid', data: '#!/bin/sh\n', mode: 0o4777 }]),
        null,
      ],
      [
        'tar: header lies about the size',
        'tar.gz',
        async () => tgz([{ name: 'f', data: 'abc', declaredSize: 4000 }]),
        'ERR_ARCHIVE_INVALID',
      ],
      [
        'tar: entry over the per-entry cap',
        'tar.gz',
        async () => tgz([{ name: 'big', data: Buffer.alloc(LIMITS.maxEntryBytes + 1) }]),
        'ERR_ARCHIVE_TOO_LARGE',
      ],
      [
        'tar: more entries than the cap',
        'tar.gz',
        async () =>
          tgz(
            Array.from({ length: LIMITS.maxEntries + 5 }, (_, i) => ({ name: `f${i}`, data: 'x' })),
          ),
        'ERR_ARCHIVE_TOO_LARGE',
      ],
      [
        'tar: total over the cap',
        'tar.gz',
        async () =>
          tgz(
            Array.from({ length: 6 }, (_, i) => ({ name: `f${i}`, data: Buffer.alloc(60 * 1024) })),
          ),
        'ERR_ARCHIVE_TOO_LARGE',
      ],
      [
        'gzip bomb (4 MiB of zeros)',
        'tar.gz',
        async () => gzipSync(Buffer.concat([rawTar([{ name: 'z', data: Buffer.alloc(4 << 20) }])])),
        'ERR_ARCHIVE_TOO_LARGE',
      ],
      [
        'tar: duplicate entry',
        'tar.gz',
        async () =>
          tgz([
            { name: 'f', data: 'a' },
            { name: 'f', data: 'b' },
          ]),
        'ERR_ARCHIVE_UNSAFE',
      ],
      [
        'not gzip at all',
        'tar.gz',
        async () => Buffer.from('this is not an archive'),
        'ERR_ARCHIVE_INVALID',
      ],
      ['zip: clean', 'zip', async () => makeZip([{ name: 'm/x.js', data: 'ok' }]), null],
      [
        'zip: ../ path',
        'zip',
        async () => makeZip([{ name: 'aa/pwn', data: 'x' }], { 'aa/pwn': '../pwn' }),
        'ERR_ARCHIVE_UNSAFE',
      ],
      [
        'zip: absolute path',
        'zip',
        async () => makeZip([{ name: 'tmp/pwn', data: 'x' }], { 'tmp/pwn': '/tmp/pw' }),
        'ERR_ARCHIVE_UNSAFE',
      ],
      [
        'zip: backslash traversal',
        'zip',
        async () => makeZip([{ name: 'a/b/c/pwn', data: 'x' }], { 'a/b/c/pwn': 'a\\..\\..\\p' }),
        'ERR_ARCHIVE_UNSAFE',
      ],
      [
        'zip: symlink out, then a file through it',
        'zip',
        async () =>
          makeZip([
            { name: 'l', data: '../outside', mode: 0o120777 },
            { name: 'l/pwn', data: 'x' },
          ]),
        'ERR_ARCHIVE_UNSAFE',
      ],
      [
        'zip: bomb (4 MiB of zeros)',
        'zip',
        async () => makeZip([{ name: 'z', data: Buffer.alloc(4 << 20) }]),
        'ERR_ARCHIVE_TOO_LARGE',
      ],
      [
        'zip: truncated',
        'zip',
        async () => (await makeZip([{ name: 'a', data: 'hello world' }])).subarray(0, 40),
        'ERR_ARCHIVE_INVALID',
      ],
    ];

    it.each(crafted)('%s', async (label, format, build, code) => {
      const v = await extractAndCheck(await build(), format, label);
      expect(v.code).toBe(code);
      expect(v.ok).toBe(code === null);
    });
  });

  describe('extractArchive() on random archives', () => {
    const NAMES = [
      'a',
      'b',
      'a/b',
      'a/b/c',
      'l',
      'l/x',
      's',
      's/l',
      '..',
      '../x',
      '/abs',
      'a/../b',
      './a',
      'a//b',
      'd/',
      '.',
      'x\\y',
      'ü',
      'a/l/x',
    ];
    const LINKS = [
      '.',
      '..',
      '../outside',
      '../outside/canary.txt',
      'a',
      'a/b',
      'l',
      's/../..',
      '/etc',
      'b/../../x',
      '',
    ];

    function randomEntries(rng: () => number): RawTarEntry[] {
      return Array.from({ length: int(rng, 1, 8) }, () => {
        const type = pick(rng, ['0', '0', '0', '5', '2', '2', '1', '3', '6'] as const);
        const data = type === '0' ? bytes(rng, pick(rng, [0, 1, 100, 600, 70 * 1024])) : undefined;
        return {
          name: pick(rng, NAMES),
          type,
          data,
          linkname: type === '1' || type === '2' ? pick(rng, LINKS) : undefined,
          mode: pick(rng, [0o644, 0o755, 0o4755, 0o777, 0o2777]),
          declaredSize: rng() < 0.1 && data ? int(rng, 0, data.length * 2 + 10) : undefined,
        };
      });
    }

    it('keeps every property on random tar.gz (structured, then byte-mutated)', async () => {
      const { rng, seed } = suiteRng('archives-tar');
      const n = fuzzIterations(60, 0.05);
      for (let i = 0; i < n; i++) {
        const tar = rawTar(randomEntries(rng));
        if (rng() < 0.3)
          for (let k = int(rng, 1, 6); k > 0; k--)
            tar[int(rng, 0, tar.length - 1)] ^= 1 << int(rng, 0, 7);
        let gz = gzipSync(tar);
        if (rng() < 0.15) gz = Buffer.from(gz.subarray(0, int(rng, 0, gz.length)));
        await extractAndCheck(gz, 'tar.gz', `seed ${seed} tar #${i}`);
      }
    });

    it('keeps every property on random zip (structured, then byte-mutated)', async () => {
      const { rng, seed } = suiteRng('archives-zip');
      const n = fuzzIterations(40, 0.04);
      for (let i = 0; i < n; i++) {
        const entries = Array.from({ length: int(rng, 1, 6) }, () => {
          const link = rng() < 0.25;
          return {
            name: pick(rng, ['a', 'b', 'a/b', 'l', 'l/x', 's/l', 'ab', 'ü']),
            data: link ? pick(rng, LINKS) || 'a' : bytes(rng, pick(rng, [0, 10, 500, 70 * 1024])),
            mode: link ? 0o120777 : pick(rng, [0o100644, 0o100755, 0o104755, 0o020644]),
          };
        });
        let zip: Buffer;
        try {
          zip = await makeZip(entries, rng() < 0.3 ? { ab: '..' } : {});
        } catch {
          continue; // yazl itself refused the names (duplicates): nothing to extract.
        }
        if (rng() < 0.35) {
          zip = Buffer.from(zip);
          for (let k = int(rng, 1, 8); k > 0; k--)
            zip[int(rng, 0, zip.length - 1)] = int(rng, 0, 255);
        }
        await extractAndCheck(zip, 'zip', `seed ${seed} zip #${i}`);
      }
    });
  });
});
