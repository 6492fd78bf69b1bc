/**
 * The main window and its hardened webPreferences (Electron security checklist items 2–4,
 * 6, 9–12): no Node in the page or its frames, context isolation, the Chromium sandbox,
 * web security on, no insecure content, no experimental or extra Blink features, no
 * <webview>. The page reaches main only through the preload's `window.updater`.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/** Inputs of {@link mainWindowOptions}. */
export interface MainWindowInputs {
  preloadPath: string;
  iconPath?: string;
  backgroundColor: string;
  /** DevTools are available in development builds only. */
  devTools: boolean;
}

/** The hardened webPreferences. */
export function hardenedWebPreferences(preloadPath: string, devTools: boolean): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools,
    // Middle-click must not open links in a new window behind the open-handler's back.
    disableBlinkFeatures: 'Auxclick',
  };
}

/** The main window's constructor options. */
export function mainWindowOptions(inputs: MainWindowInputs): BrowserWindowConstructorOptions {
  return {
    width: 1200,
    height: 800,
    minWidth: 820,
    minHeight: 560,
    show: false,
    title: 'LLMrecon Update Manager',
    backgroundColor: inputs.backgroundColor,
    ...(inputs.iconPath ? { icon: inputs.iconPath } : {}),
    webPreferences: hardenedWebPreferences(inputs.preloadPath, inputs.devTools),
  };
}

/** Create the main window (hidden until its first paint, to avoid a white flash). */
export function createMainWindow(
  BrowserWindowCtor: typeof BrowserWindow,
  inputs: MainWindowInputs,
): BrowserWindow {
  const win = new BrowserWindowCtor(mainWindowOptions(inputs));
  win.once('ready-to-show', () => win.show());
  return win;
}

/** Bring a window to the front, restoring it from minimized or hidden. */
export function focusWindow(
  win: Pick<BrowserWindow, 'isMinimized' | 'restore' | 'show' | 'focus' | 'isDestroyed'> | null,
): boolean {
  if (!win || win.isDestroyed()) return false;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
  return true;
}
