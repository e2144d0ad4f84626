// Electron main: one setup call per feature, each in its own file (see DESIGN.md).
import { setupAppInstance } from './app-instance.js';
import { setupIpc } from './ipc.js';
import { setupMenu } from './menu.js';
import { setupRuntime } from './runtime-process.js';
import { setupSecurity } from './security.js';
import { setupWindow } from './window.js';

if (setupAppInstance()) {
  const runtime = setupRuntime();
  // Before the window: the session's rules must hold from the first request the page makes.
  setupSecurity(runtime);
  setupIpc(runtime);
  setupMenu();
  setupWindow(runtime);
}
