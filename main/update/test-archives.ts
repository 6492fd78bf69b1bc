/**
 * Test-only archive builders: raw ustar (so tests can write entries no sane tool would:
 * `..` paths, escaping links, devices, lying sizes) and zip via yazl with name patching.
 */
import { gzipSync } from 'node:zlib';
import yazl from 'yazl';

/** One raw tar entry. */
export interface RawTarEntry {
  name: string;
  /** '0' file, '1' hard link, '2' symlink, '3' char device, '4' block device, '5' directory, '6' FIFO. */
  type?: '0' | '1' | '2' | '3' | '4' | '5' | '6';
  data?: Buffer | string;
  mode?: number;
  linkname?: string;
  /** Override the size written in the header (to lie about it). */
  declaredSize?: number;
}

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

/** Build a tar (uncompressed) from raw entries. */
export function rawTar(entries: RawTarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const data = Buffer.from(e.data ?? '');
    const h = Buffer.alloc(512);
    h.write(e.name, 0, 100, 'utf8');
    h.write(octal(e.mode ?? (e.type === '5' ? 0o755 : 0o644), 8), 100, 'ascii');
    h.write(octal(0, 8), 108, 'ascii');
    h.write(octal(0, 8), 116, 'ascii');
    h.write(octal(e.declaredSize ?? data.length, 12), 124, 'ascii');
    h.write(octal(Math.floor(Date.now() / 1000), 12), 136, 'ascii');
    h.write('        ', 148, 'ascii');
    h.write(e.type ?? '0', 156, 'ascii');
    if (e.linkname) h.write(e.linkname, 157, 100, 'utf8');
    h.write('ustar\0', 257, 'ascii');
    h.write('00', 263, 'ascii');
    let sum = 0;
    for (const b of h) sum += b;
    h.write(octal(sum, 7) + ' ', 148, 'ascii');
    blocks.push(h);
    if (data.length) {
      blocks.push(data);
      const pad = (512 - (data.length % 512)) % 512;
      if (pad) blocks.push(Buffer.alloc(pad));
    }
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** Build a .tar.gz from raw entries. */
export function rawTarGz(entries: RawTarEntry[]): Buffer {
  return gzipSync(rawTar(entries));
}

/** One zip entry for {@link makeZip}. */
export interface ZipEntry {
  name: string;
  data?: Buffer | string;
  mode?: number;
  dir?: boolean;
}

/** Build a zip with yazl. `rename` then swaps equal-length names in the bytes (for zip-slip names yazl refuses). */
export async function makeZip(
  entries: ZipEntry[],
  rename: Record<string, string> = {},
): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of entries) {
    if (e.dir) zip.addEmptyDirectory(e.name, { mode: e.mode ?? 0o40755 });
    else zip.addBuffer(Buffer.from(e.data ?? ''), e.name, { mode: e.mode ?? 0o100644 });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  let buf = Buffer.concat(chunks);
  for (const [from, to] of Object.entries(rename)) {
    if (Buffer.byteLength(from) !== Buffer.byteLength(to))
      throw new Error('rename must keep the length');
    const f = Buffer.from(from);
    let i = buf.indexOf(f);
    while (i >= 0) {
      buf = Buffer.concat([buf.subarray(0, i), Buffer.from(to), buf.subarray(i + f.length)]);
      i = buf.indexOf(f, i + f.length);
    }
  }
  return buf;
}
