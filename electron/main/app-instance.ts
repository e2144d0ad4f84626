import { resolve } from 'node:path';
import { app } from 'electron';

/**
 * TANDEM_DATA_DIR moves everything the app writes (Chromium's profile and the runtime's databases
 * under data/) into one folder, so tests and side-by-side installs stay apart. One app per folder:
 * a second one would start a second runtime on the same databases. Returns false when this process
 * is the second one and is quitting; the first one brings its window to the front.
 */
export function setupAppInstance(): boolean {
  const dataDir = process.env.TANDEM_DATA_DIR;
  if (dataDir) app.setPath('userData', resolve(dataDir));
  if (app.requestSingleInstanceLock()) return true;
  console.error(`tandem desktop: Tandem already runs with the folder ${app.getPath('userData')}; showing its window instead.`);
  app.quit();
  return false;
}
