import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({
  shell: { openExternal: vi.fn(async () => {}), showItemInFolder: vi.fn() },
}));

import { shell } from 'electron';
import { createOpenExternal, createRevealPath, isSafeExternalUrl } from './open-external';

describe('open-external', () => {
  describe('isSafeExternalUrl()', () => {
    it.each([
      ['https://example.com/notes', true],
      ['HTTPS://EXAMPLE.COM/', true],
      ['http://example.com/', false],
      ['file:///etc/passwd', false],
      ['javascript:alert(1)', false],
      ['smb://attacker/share/payload.exe', false],
      ['ms-msdt:/id PCWDiagnostic', false],
      ['https://user:pw@example.com/', false],
      ['not a url', false],
    ])('%s → %s', (url, safe) => {
      expect(isSafeExternalUrl(url)).toBe(safe);
    });
  });

  describe('createOpenExternal()', () => {
    it('passes https URLs to shell.openExternal', async () => {
      await createOpenExternal(shell)('https://example.com/');
      expect(shell.openExternal).toHaveBeenCalledWith('https://example.com/');
    });
    it('refuses other schemes with ERR_INSECURE_URL before the shell sees them', async () => {
      vi.mocked(shell.openExternal).mockClear();
      await expect(createOpenExternal(shell)('file:///etc/passwd')).rejects.toMatchObject({
        code: 'ERR_INSECURE_URL',
      });
      expect(shell.openExternal).not.toHaveBeenCalled();
    });
  });

  describe('createRevealPath()', () => {
    it('shows the path in the file manager', async () => {
      await createRevealPath(shell)('/tmp/x.log');
      expect(shell.showItemInFolder).toHaveBeenCalledWith('/tmp/x.log');
    });
  });
});
