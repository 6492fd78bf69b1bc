/**
 * Safe extraction of update archives (tar.gz via `tar`, zip via `yauzl`) into an empty
 * staging folder. Every entry passes the rules in archive-paths.ts; files are created
 * with O_EXCL|O_NOFOLLOW so nothing is ever written through a link; sizes are counted
 * as bytes arrive, so a lying header or a zip bomb stops at the cap.
 */
import { constants, createReadStream } from 'node:fs';
import { chmod, copyFile, lstat, mkdir, open, readdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import yauzl from 'yauzl';
import { clampFileMode, DIR_MODE, resolveInside, safeEntrySegments } from './archive-paths';
import { ArchiveError } from './errors';
import type { ArchiveFormat } from './target-meta';

/** Caps that stop archive bombs. */
export interface ExtractLimits {
  maxEntryBytes: number;
  maxTotalBytes: number;
  maxEntries: number;
}

/** Defaults: generous for LLMrecon components, far below a bomb. */
export const DEFAULT_LIMITS: ExtractLimits = {
  maxEntryBytes: 512 * 1024 * 1024,
  maxTotalBytes: 1024 * 1024 * 1024,
  maxEntries: 20_000,
};

/** What an extraction produced. */
export interface ExtractResult {
  files: number;
  bytes: number;
}

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/** Writes entries into the staging root and enforces every rule. */
class StagingWriter {
  private readonly links = new Map<string, string>();
  private readonly files = new Set<string>();
  private readonly dirs = new Set<string>();
  private entries = 0;
  bytes = 0;

  constructor(
    private readonly root: string,
    private readonly limits: ExtractLimits,
  ) {}

  get fileCount(): number {
    return this.files.size;
  }

  private count(): void {
    if (++this.entries > this.limits.maxEntries) {
      throw new ArchiveError(
        'ERR_ARCHIVE_TOO_LARGE',
        `archive has more than ${this.limits.maxEntries} entries`,
      );
    }
  }

  // The real location of an entry's parent: it must resolve inside and must not pass
  // through a link this archive made (we never write through links).
  private async parentOf(name: string, segments: string[]): Promise<string[]> {
    const parent = segments.slice(0, -1);
    for (let i = 1; i <= parent.length; i++) {
      const prefix = parent.slice(0, i).join('/');
      if (this.links.has(prefix))
        throw unsafe(`entry ${name} is written through the link ${prefix}`);
      if (this.files.has(prefix))
        throw new ArchiveError('ERR_ARCHIVE_INVALID', `entry ${name} is inside the file ${prefix}`);
    }
    if (parent.length) {
      await mkdir(join(this.root, ...parent), { recursive: true, mode: DIR_MODE });
      for (let i = 1; i <= parent.length; i++) this.dirs.add(parent.slice(0, i).join('/'));
    }
    return parent;
  }

  private claim(name: string, key: string): void {
    if (this.files.has(key) || this.links.has(key) || this.dirs.has(key))
      throw unsafe(`duplicate entry ${name}`);
  }

  async directory(name: string): Promise<void> {
    this.count();
    const segments = safeEntrySegments(name);
    const key = segments.join('/');
    if (this.dirs.has(key)) return;
    if (this.files.has(key) || this.links.has(key)) throw unsafe(`duplicate entry ${name}`);
    await this.parentOf(name, segments);
    await mkdir(join(this.root, ...segments), { recursive: true, mode: DIR_MODE });
    this.dirs.add(key);
  }

  async file(
    name: string,
    declaredSize: number,
    mode: number | undefined,
    data: Readable,
  ): Promise<void> {
    this.count();
    const segments = safeEntrySegments(name);
    const key = segments.join('/');
    this.claim(name, key);
    this.assertSize(name, declaredSize);
    await this.parentOf(name, segments);
    this.files.add(key);
    const target = join(this.root, ...segments);
    const handle = await open(
      target,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW,
      clampFileMode(mode),
    );
    let written = 0;
    const counter = new Transform({
      transform: (chunk: Buffer, _enc, cb) => {
        written += chunk.length;
        this.bytes += chunk.length;
        if (written > this.limits.maxEntryBytes || written > declaredSize) {
          cb(new ArchiveError('ERR_ARCHIVE_TOO_LARGE', `entry ${name} expands beyond its limit`));
        } else if (this.bytes > this.limits.maxTotalBytes) {
          cb(
            new ArchiveError(
              'ERR_ARCHIVE_TOO_LARGE',
              `archive expands beyond ${this.limits.maxTotalBytes} bytes`,
            ),
          );
        } else cb(null, chunk);
      },
    });
    // The write stream owns the handle and closes it on finish or on error.
    await pipeline(data, counter, handle.createWriteStream());
    if (written !== declaredSize)
      throw new ArchiveError('ERR_ARCHIVE_INVALID', `entry ${name} is truncated`);
    // open()'s mode is filtered by the umask; set the clamped mode exactly.
    await chmod(target, clampFileMode(mode));
  }

  async symlink(name: string, linkTarget: string): Promise<void> {
    this.count();
    const segments = safeEntrySegments(name);
    const key = segments.join('/');
    this.claim(name, key);
    const parent = await this.parentOf(name, segments);
    if (!linkTarget || linkTarget.includes('\0'))
      throw unsafe(`symlink ${name} has an empty target`);
    if (linkTarget.startsWith('/') || /^[a-zA-Z]:/.test(linkTarget) || linkTarget.includes('\\')) {
      throw unsafe(`symlink ${name} -> ${linkTarget} is absolute`);
    }
    const trial = new Map(this.links).set(key, linkTarget);
    if (resolveInside([...parent, ...linkTarget.split('/')], trial) === null) {
      throw unsafe(`symlink ${name} -> ${linkTarget} points outside the folder`);
    }
    // Existing links must still resolve inside now that this one exists.
    for (const [other] of this.links) {
      if (resolveInside(other.split('/'), trial) === null)
        throw unsafe(`symlink ${name} makes ${other} point outside the folder`);
    }
    this.links.set(key, linkTarget);
    await symlink(linkTarget, join(this.root, ...segments));
  }

  /** A hard link becomes a copy of a regular file this archive already wrote. */
  async hardlink(name: string, linkTarget: string): Promise<void> {
    this.count();
    const segments = safeEntrySegments(name);
    const key = segments.join('/');
    this.claim(name, key);
    let source: string[];
    try {
      source = safeEntrySegments(linkTarget);
    } catch {
      throw unsafe(`hard link ${name} -> ${linkTarget} points outside the folder`);
    }
    if (!this.files.has(source.join('/')))
      throw unsafe(`hard link ${name} -> ${linkTarget} does not name a file of this archive`);
    await this.parentOf(name, segments);
    const st = await lstat(join(this.root, ...source));
    this.assertSize(name, st.size);
    this.bytes += st.size;
    if (this.bytes > this.limits.maxTotalBytes)
      throw new ArchiveError(
        'ERR_ARCHIVE_TOO_LARGE',
        `archive expands beyond ${this.limits.maxTotalBytes} bytes`,
      );
    await copyFile(
      join(this.root, ...source),
      join(this.root, ...segments),
      constants.COPYFILE_EXCL,
    );
    this.files.add(key);
  }

  /** Refuse a declared size over the per-entry or total cap. */
  assertSize(name: string, size: number): void {
    if (!Number.isSafeInteger(size) || size < 0)
      throw new ArchiveError('ERR_ARCHIVE_INVALID', `entry ${name} has a bad size`);
    if (size > this.limits.maxEntryBytes)
      throw new ArchiveError(
        'ERR_ARCHIVE_TOO_LARGE',
        `entry ${name} is ${size} bytes, over the limit`,
      );
    if (this.bytes + size > this.limits.maxTotalBytes) {
      throw new ArchiveError(
        'ERR_ARCHIVE_TOO_LARGE',
        `archive expands beyond ${this.limits.maxTotalBytes} bytes`,
      );
    }
  }
}

function unsafe(message: string): ArchiveError {
  return new ArchiveError('ERR_ARCHIVE_UNSAFE', message);
}

function asArchiveError(err: unknown): ArchiveError {
  if (err instanceof ArchiveError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  return new ArchiveError('ERR_ARCHIVE_INVALID', `the archive is damaged: ${msg}`, { cause: err });
}

/** Extract an archive into `destDir`, which must exist and be empty. */
export async function extractArchive(
  file: string,
  destDir: string,
  format: ArchiveFormat,
  limits: ExtractLimits = DEFAULT_LIMITS,
): Promise<ExtractResult> {
  if ((await readdir(destDir)).length > 0)
    throw new Error(`staging folder is not empty: ${destDir}`);
  const writer = new StagingWriter(destDir, limits);
  try {
    if (format === 'tar.gz') await extractTarGz(file, writer, limits);
    else await extractZip(file, writer);
  } catch (err) {
    throw asArchiveError(err);
  }
  return { files: writer.fileCount, bytes: writer.bytes };
}

async function extractTarGz(
  file: string,
  writer: StagingWriter,
  limits: ExtractLimits,
): Promise<void> {
  // Cap the decompressed stream itself: a gzip bomb must not be inflated past the total
  // cap just to read headers (tar framing adds at most a few blocks per entry).
  const tarCap = limits.maxTotalBytes + (limits.maxEntries + 4) * 1024 * 2;
  let inflated = 0;
  const capper = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      inflated += chunk.length;
      if (inflated > tarCap)
        cb(new ArchiveError('ERR_ARCHIVE_TOO_LARGE', 'archive inflates beyond the limit'));
      else cb(null, chunk);
    },
  });
  const queue: ReadEntry[] = [];
  // The entry being written. A stream that breaks mid-entry (truncated gzip, corrupt tar)
  // never ends that entry, so its writer would wait forever: fail it explicitly.
  let active: ReadEntry | null = null;
  const failActive = (err: unknown): void => {
    // Only an entry still owed bytes (`remain`) is stuck; one whose bytes all arrived is
    // merely being consumed and must be left alone.
    if (active && active.remain > 0 && !active.emittedEnd && !active.destroyed) {
      // Keep a listener: a late second 'error' must not become an uncaught exception.
      active.on('error', () => undefined);
      active.destroy(err instanceof Error ? err : new Error(String(err)));
    }
  };
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  let ended = false;
  const parser = new Parser({ strict: true });
  parser.on('entry', (entry: ReadEntry) => {
    if (failure) return entry.resume();
    entry.pause();
    queue.push(entry);
    wake?.();
  });
  const warn = (_code: string, message: string | Error) => {
    failure ??= new ArchiveError(
      'ERR_ARCHIVE_INVALID',
      `the archive is damaged: ${String(message)}`,
    );
    failActive(failure);
    wake?.();
  };
  parser.on('warn', warn);
  const source = createReadStream(file);
  const feeding = pipeline(
    source,
    createGunzip(),
    capper,
    parser as unknown as NodeJS.WritableStream,
  ).then(
    () => {
      ended = true;
      failActive(new ArchiveError('ERR_ARCHIVE_INVALID', 'the archive ends inside an entry'));
      wake?.();
    },
    (err: unknown) => {
      failure ??= err;
      ended = true;
      failActive(failure);
      wake?.();
    },
  );
  try {
    for (;;) {
      if (failure) throw failure;
      const entry = queue.shift();
      if (!entry) {
        if (ended) break;
        await new Promise<void>((r) => (wake = r));
        wake = null;
        continue;
      }
      try {
        active = entry;
        // Stream already over with this entry short of bytes: fail it now.
        if (ended)
          failActive(
            failure ?? new ArchiveError('ERR_ARCHIVE_INVALID', 'the archive ends inside an entry'),
          );
        await handleTarEntry(entry, writer);
      } catch (err) {
        entry.resume();
        throw err;
      } finally {
        active = null;
      }
    }
  } catch (err) {
    // Stop reading the archive at the first refusal; nothing more gets inflated.
    failure ??= err;
    source.destroy();
    parser.abort(err instanceof Error ? err : new Error(String(err)));
  } finally {
    for (const e of queue) e.resume();
    await feeding.catch(() => undefined);
  }
  if (failure) throw failure;
}

async function handleTarEntry(entry: ReadEntry, writer: StagingWriter): Promise<void> {
  const name = entry.path;
  switch (entry.type) {
    case 'File':
    case 'OldFile':
    case 'ContiguousFile':
      await writer.file(name, entry.size, entry.mode, entry as unknown as Readable);
      return;
    case 'Directory':
      entry.resume();
      await writer.directory(name);
      return;
    case 'SymbolicLink':
      entry.resume();
      await writer.symlink(name, entry.linkpath ?? '');
      return;
    case 'Link':
      entry.resume();
      await writer.hardlink(name, entry.linkpath ?? '');
      return;
    case 'CharacterDevice':
    case 'BlockDevice':
    case 'FIFO':
      entry.resume();
      throw unsafe(`entry ${name} is a device or FIFO (${entry.type})`);
    default:
      entry.resume();
      throw unsafe(`entry ${name} has unsupported type ${entry.type}`);
  }
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

async function extractZip(file: string, writer: StagingWriter): Promise<void> {
  // decodeStrings:false so yauzl hands us raw names and our own rules (with our own
  // error codes) judge them; validateEntrySizes makes yauzl fail a stream whose
  // inflated size differs from the central directory's.
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(
      file,
      { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false },
      (err, z) => (err || !z ? reject(err ?? new Error('no zip')) : resolve(z)),
    ),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        handleZipEntry(zip, entry, writer).then(() => zip.readEntry(), reject);
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}

async function handleZipEntry(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  writer: StagingWriter,
): Promise<void> {
  const raw = entry.fileName as unknown as Buffer;
  const utf8 = (entry.generalPurposeBitFlag & 0x800) !== 0;
  const name = Buffer.isBuffer(raw) ? raw.toString(utf8 ? 'utf8' : 'latin1') : String(raw);
  if ((entry.generalPurposeBitFlag & 0x1) !== 0)
    throw new ArchiveError('ERR_ARCHIVE_INVALID', `entry ${name} is encrypted`);
  const madeByUnix = entry.versionMadeBy >> 8 === 3;
  const unixMode = madeByUnix ? (entry.externalFileAttributes >>> 16) & 0xffff : 0;
  const type = unixMode & S_IFMT;
  const isDir = name.endsWith('/') || type === S_IFDIR;
  if (isDir) return writer.directory(name);
  if (type === S_IFLNK) {
    if (entry.uncompressedSize > 4096) throw unsafe(`symlink ${name} has an oversized target`);
    const target = await readAll(await openZipStream(zip, entry), 4096);
    return writer.symlink(name, target.toString('utf8'));
  }
  if (type !== 0 && type !== S_IFREG) throw unsafe(`entry ${name} is a device or special file`);
  // Check the declared size before inflating anything.
  const stream = await openZipStream(zip, entry, name, writer);
  // yauzl inflates ahead of any reader. If the writer refuses the entry before reading it
  // (unsafe name, duplicate), a size lie still surfaces as an 'error' on this stream, and
  // with nobody listening that would be an uncaught exception in the main process.
  stream.on('error', () => undefined);
  try {
    return await writer.file(
      name,
      entry.uncompressedSize,
      madeByUnix ? unixMode : undefined,
      stream,
    );
  } finally {
    stream.destroy();
  }
}

async function openZipStream(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  name?: string,
  writer?: StagingWriter,
): Promise<Readable> {
  if (name && writer) writer.assertSize(name, entry.uncompressedSize);
  return new Promise((resolve, reject) =>
    zip.openReadStream(entry, (err, s) =>
      err || !s ? reject(err ?? new Error('no stream')) : resolve(s),
    ),
  );
}

async function readAll(stream: Readable, cap: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of stream) {
    n += (c as Buffer).length;
    if (n > cap) throw unsafe('link target too long');
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}
