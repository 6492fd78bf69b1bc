/**
 * The only way a URL leaves the app for the OS: `shell.openExternal` for `https:` URLs only.
 * `shell.openExternal` hands the URL to the OS, which will happily run `file:`, `smb:` or
 * custom-scheme handlers (remote code execution via a crafted link, Electron checklist
 * item 15), so anything but https is refused before the shell sees it.
 */
import type { Shell } from 'electron';
import { AppError } from '../errors';

/** True for a well-formed `https:` URL without embedded credentials. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}

/** Build the core's `openExternal` over Electron's shell; rejects non-https with ERR_INSECURE_URL. */
export function createOpenExternal(
  shell: Pick<Shell, 'openExternal'>,
): (url: string) => Promise<void> {
  return async (url) => {
    if (!isSafeExternalUrl(url))
      throw new AppError('ERR_INSECURE_URL', 'Only https:// links can be opened externally');
    await shell.openExternal(url);
  };
}

/** Build the core's `revealPath` over Electron's shell. */
export function createRevealPath(
  shell: Pick<Shell, 'showItemInFolder'>,
): (path: string) => Promise<void> {
  return async (path) => {
    shell.showItemInFolder(path);
  };
}
