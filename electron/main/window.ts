import { fileURLToPath } from 'node:url';
import { app, BrowserWindow } from 'electron';
import type { RuntimeHandle } from './runtime-process.js';

const preloadPath = fileURLToPath(new URL('../preload/preload.cjs', import.meta.url));

/** One operator window on the runtime's URL, opened once the runtime listens. */
export function setupWindow(runtime: RuntimeHandle): void {
  let window: BrowserWindow | undefined;
  runtime.onListening((url) => {
    void app.whenReady().then(() => {
      if (window === undefined) {
        window = openWindow(url);
        window.on('closed', () => {
          window = undefined;
        });
      } else if (!runtime.serves(window.webContents.getURL())) {
        // The page was reloaded while the runtime was down and now shows Chromium's error page.
        load(window, url);
      }
    });
  });
  app.on('second-instance', () => {
    if (window === undefined) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => app.quit());
}

function openWindow(url: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1600,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'Tandem',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      devTools: !app.isPackaged,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  load(window, url);
  return window;
}

function load(window: BrowserWindow, url: string): void {
  window.loadURL(url).catch((error: unknown) => console.error(`tandem desktop: cannot load ${url}: ${String(error)}`));
}
