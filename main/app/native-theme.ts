/**
 * Light and dark follow `nativeTheme`: the user's Appearance setting (system / light /
 * dark) becomes `nativeTheme.themeSource`, which drives `prefers-color-scheme` in the page
 * and the native window chrome; the window background follows so resizing never flashes.
 */
import type { NativeTheme } from 'electron';
import type { SettingsView } from '../../preload/contract';
import type { EventHub } from '../core/services';

/** Window background colours matching the renderer's light and dark palettes. */
export const BACKGROUND = { light: '#ffffff', dark: '#0f1419' } as const;

/** The background colour for the current theme. */
export function backgroundColor(theme: Pick<NativeTheme, 'shouldUseDarkColors'>): string {
  return theme.shouldUseDarkColors ? BACKGROUND.dark : BACKGROUND.light;
}

/** Apply the appearance setting now and whenever settings change. */
export function setupNativeTheme(
  theme: Pick<NativeTheme, 'themeSource' | 'shouldUseDarkColors' | 'on'>,
  initial: SettingsView,
  events: EventHub,
  onColor: (color: string) => void,
): () => void {
  theme.themeSource = initial.appearance.theme;
  theme.on('updated', () => onColor(backgroundColor(theme)));
  return events.subscribe((event, payload) => {
    if (event !== 'settings:changed') return;
    const next = (payload as SettingsView).appearance.theme;
    if (theme.themeSource !== next) theme.themeSource = next;
  });
}
