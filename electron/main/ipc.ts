import { app, BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { DesktopChannel } from '../preload/preload.cjs';
import type { RuntimeHandle } from './runtime-process.js';

const versionChannel: DesktopChannel = 'tandem-desktop:version';

/** Answers the preload's named calls, and only for the top frame of our window on the runtime. */
export function setupIpc(runtime: RuntimeHandle): void {
  ipcMain.handle(versionChannel, (event) => {
    refuseUnknownSender(event, runtime);
    return app.getVersion();
  });
}

function refuseUnknownSender(event: IpcMainInvokeEvent, runtime: RuntimeHandle): void {
  const frame = event.senderFrame;
  const trusted = frame !== null && frame.parent === null && BrowserWindow.fromWebContents(event.sender) !== null && runtime.serves(frame.url);
  if (!trusted) throw new Error(`tandem desktop: refused a request from ${frame?.url ?? 'a closed frame'}`);
}
