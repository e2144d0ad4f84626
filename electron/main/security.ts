import { app, session } from 'electron';
import { certificateVerdict, pinnedFingerprints } from './certificate-pins.js';
import type { RuntimeHandle } from './runtime-process.js';

/**
 * The page shows plant data and sends operator commands, so it may load and run only what its own
 * runtime serves. The runtime sends the same rules to every browser, with the pair's other node
 * added so stations can follow the Server there; a document from the runtime keeps the runtime's
 * rules, and anything else gets these (no other node), the desktop's guard against anything that
 * slips into the page (a crafted tag name, a project text).
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
      const headers = details.responseHeaders ?? {};
      const fromRuntime = runtime.serves(details.url) && Object.keys(headers).some((name) => name.toLowerCase() === 'content-security-policy');
      callback({ responseHeaders: fromRuntime ? headers : { ...headers, 'Content-Security-Policy': [contentSecurityPolicy] } });
    });
    // The other node of the pair is reached over https:// with its self-signed certificate, pinned at pairing.
    defaultSession.setCertificateVerifyProc((request, callback) => callback(certificateVerdict(request.certificate.data, pinnedFingerprints(runtime.dataDir))));
    // A control-room page needs no camera, microphone, notifications or location.
    defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    defaultSession.setPermissionCheckHandler(() => false);
  });
}
