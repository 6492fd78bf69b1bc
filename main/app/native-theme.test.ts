import { describe, expect, it, vi } from 'vitest';
import type { SettingsView } from '../../preload/contract';
import { createEventHub } from '../core/event-hub';

vi.mock('electron', () => ({
  nativeTheme: { themeSource: 'system', shouldUseDarkColors: false, on: vi.fn() },
}));

import { nativeTheme } from 'electron';
import { BACKGROUND, setupNativeTheme } from './native-theme';

const settings = (theme: 'system' | 'light' | 'dark') =>
  ({ appearance: { theme } }) as SettingsView;

describe('native-theme', () => {
  describe('setupNativeTheme()', () => {
    it('applies the appearance setting to nativeTheme.themeSource, now and on change', () => {
      const events = createEventHub();
      setupNativeTheme(nativeTheme, settings('dark'), events, vi.fn());
      expect(nativeTheme.themeSource).toBe('dark');
      events.emit('settings:changed', settings('light'));
      expect(nativeTheme.themeSource).toBe('light');
      events.emit('settings:changed', settings('system'));
      expect(nativeTheme.themeSource).toBe('system');
    });

    it('reports the matching window background when the OS theme changes', () => {
      const onColor = vi.fn();
      setupNativeTheme(nativeTheme, settings('system'), createEventHub(), onColor);
      const listener = vi.mocked(nativeTheme.on).mock.calls.at(-1)![1] as () => void;
      (nativeTheme as { shouldUseDarkColors: boolean }).shouldUseDarkColors = true;
      listener();
      expect(onColor).toHaveBeenLastCalledWith(BACKGROUND.dark);
    });
  });
});
