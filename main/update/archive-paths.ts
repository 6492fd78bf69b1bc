/**
 * Pure path-safety rules for archive extraction: entry names, symlink resolution inside
 * the staging root, and permission clamping.
 */
import { ArchiveError } from './errors';

/**
 * Normalise an archive entry name to safe relative POSIX segments, or throw
 * ERR_ARCHIVE_UNSAFE. Refuses absolute paths (`/x`, `C:\x`, `\\server`), `..` segments,
 * backslashes (a separator on Windows, so `a\..\..\x` is zip-slip there) and NUL.
 */
export function safeEntrySegments(name: string): string[] {
  if (name.includes('\0')) throw unsafe(`entry name contains NUL: ${JSON.stringify(name)}`);
  if (name.includes('\\')) throw unsafe(`entry name contains a backslash: ${name}`);
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) throw unsafe(`absolute entry path: ${name}`);
  const segments = name.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw unsafe(`entry path escapes the folder: ${name}`);
  if (segments.length === 0) throw unsafe(`empty entry path: ${JSON.stringify(name)}`);
  return segments;
}

/**
 * Resolve `segments` the way the kernel would inside a fresh staging root that holds
 * only what this archive created, following the archive's own symlinks. Returns the real
 * segments, or null when resolution leaves the root (or loops). A lexical check is not
 * enough: with `s -> .`, the link `s/l -> ../x` looks inside but lands outside.
 */
export function resolveInside(
  segments: string[],
  links: ReadonlyMap<string, string>,
  depth = 0,
): string[] | null {
  if (depth > 40) return null;
  const out: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) return null;
      out.pop();
      continue;
    }
    out.push(seg);
    const target = links.get(out.join('/'));
    if (target !== undefined) {
      if (target.startsWith('/') || /^[a-zA-Z]:/.test(target) || target.includes('\\')) return null;
      out.pop();
      const resolved = resolveInside([...out, ...target.split('/')], links, depth + 1);
      if (resolved === null) return null;
      out.length = 0;
      out.push(...resolved);
    }
  }
  return out;
}

/** Clamp a mode to 0755 (any execute bit set) or 0644; setuid, setgid, sticky and write-for-others go. */
export function clampFileMode(mode: number | undefined): number {
  return mode !== undefined && (mode & 0o111) !== 0 ? 0o755 : 0o644;
}

/** Directories are always 0755. */
export const DIR_MODE = 0o755;

function unsafe(message: string): ArchiveError {
  return new ArchiveError('ERR_ARCHIVE_UNSAFE', message);
}
