import { app, session } from 'electron';
import type { RuntimeHandle } from './runtime-process.js';

/**
 * The page shows plant data and sends operator commands, so it may load and run only what its own
 * runtime serves. The runtime talks to the browser the same way; these rules are the desktop's
 * extra guard against anything that slips into the page (a crafted tag name, a project text).
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  "connect-src 'self' ws://127.0.0.1:* http://127.0.0.1:*",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function setupSecurity(runtime: RuntimeHandle): void {
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    const stayOnRuntime = (event: { url: string; preventDefault(): void }): void => {
      if (runtime.serves(event.url)) return;
      event.preventDefault();
      console.error(`tandem desktop: blocked navigation to ${event.url}`);
    };
    contents.on('will-navigate', stayOnRuntime);
    contents.on('will-redirect', stayOnRuntime);
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  void app.whenReady().then(() => {
    const { defaultSession } = session;
    defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy] } });
    });
    // A control-room page needs no camera, microphone, notifications or location.
    defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    defaultSession.setPermissionCheckHandler(() => false);
  });
}
