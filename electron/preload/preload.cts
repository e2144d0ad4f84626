// Runs in every page before the operator UI. A sandboxed preload is a classic script, never an ES
// module, hence CommonJS (.cts) and the single `require` the sandbox allows.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the sandbox offers no `import`
import electron = require('electron');

/** The channels main answers; main imports this type so both sides spell them alike. */
export type DesktopChannel = 'tandem-desktop:version';

const versionChannel: DesktopChannel = 'tandem-desktop:version';

// Named functions only: the page never holds ipcRenderer, so it can ask main for nothing else.
electron.contextBridge.exposeInMainWorld('tandemDesktop', {
  isDesktop: true,
  version: (): Promise<string> => electron.ipcRenderer.invoke(versionChannel) as Promise<string>,
});
