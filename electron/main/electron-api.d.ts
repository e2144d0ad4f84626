// Electron's typings ship inside the `electron` package, whose install downloads the binary and is
// optional (it fails where that download cannot happen). This declares the part of the API that the
// shell and the preload use, so the project typechecks without it. Where the package is installed
// its own declaration merges with this one: skipLibCheck (tsconfig.json) keeps the duplicate names
// quiet, and every signature here is a narrowing of Electron's own, so code checked against either
// one is right against both.
declare module 'electron' {
  type Listener<Args extends unknown[]> = (...args: Args) => void;

  interface PreventableEvent {
    preventDefault(): void;
  }

  interface NavigationEvent extends PreventableEvent {
    url: string;
  }

  interface App {
    readonly isPackaged: boolean;
    enableSandbox(): void;
    getPath(name: 'userData'): string;
    getVersion(): string;
    quit(): void;
    requestSingleInstanceLock(): boolean;
    setPath(name: 'userData', path: string): void;
    whenReady(): Promise<void>;
    on(event: 'before-quit', listener: Listener<[event: PreventableEvent]>): this;
    on(event: 'second-instance' | 'window-all-closed', listener: Listener<[]>): this;
    on(event: 'web-contents-created', listener: Listener<[event: unknown, contents: WebContents]>): this;
  }

  interface WebFrameMain {
    readonly url: string;
    readonly parent: WebFrameMain | null;
  }

  interface WebContents {
    getURL(): string;
    setWindowOpenHandler(handler: () => { action: 'deny' }): void;
    on(event: 'will-navigate' | 'will-redirect', listener: Listener<[event: NavigationEvent]>): this;
    on(event: 'will-attach-webview', listener: Listener<[event: PreventableEvent]>): this;
  }

  interface BrowserWindowOptions {
    width?: number;
    height?: number;
    minWidth?: number;
    minHeight?: number;
    show?: boolean;
    title?: string;
    webPreferences?: {
      preload?: string;
      contextIsolation?: boolean;
      sandbox?: boolean;
      nodeIntegration?: boolean;
      nodeIntegrationInSubFrames?: boolean;
      webSecurity?: boolean;
      webviewTag?: boolean;
      devTools?: boolean;
      spellcheck?: boolean;
    };
  }

  class BrowserWindow {
    constructor(options?: BrowserWindowOptions);
    static fromWebContents(webContents: WebContents): BrowserWindow | null;
    readonly webContents: WebContents;
    focus(): void;
    isMinimized(): boolean;
    loadURL(url: string): Promise<void>;
    restore(): void;
    show(): void;
    on(event: 'closed', listener: Listener<[]>): this;
    once(event: 'ready-to-show', listener: Listener<[]>): this;
  }

  interface IpcMainInvokeEvent {
    readonly sender: WebContents;
    readonly senderFrame: WebFrameMain | null;
  }

  interface IpcMain {
    handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void;
  }

  interface OnHeadersReceivedDetails {
    url: string;
    resourceType: string;
    responseHeaders?: Record<string, string[]>;
  }

  interface CertificateVerifyRequest {
    hostname: string;
    /** `data` is the certificate, PEM-encoded. */
    certificate: { data: string };
  }

  interface Session {
    readonly webRequest: {
      onHeadersReceived(
        listener: (details: OnHeadersReceivedDetails, callback: (response: { responseHeaders?: Record<string, string[]> }) => void) => void,
      ): void;
    };
    /** 0 trusts the certificate, -2 refuses it, -3 uses Chromium's own verification. */
    setCertificateVerifyProc(proc: (request: CertificateVerifyRequest, callback: (verdict: number) => void) => void): void;
    setPermissionCheckHandler(handler: () => boolean): void;
    setPermissionRequestHandler(handler: (webContents: WebContents, permission: string, callback: (granted: boolean) => void) => void): void;
  }

  interface MenuItemConstructorOptions {
    label?: string;
    role?: 'quit' | 'reload' | 'togglefullscreen' | 'toggleDevTools';
    type?: 'separator';
    submenu?: MenuItemConstructorOptions[];
  }

  class Menu {
    static buildFromTemplate(template: MenuItemConstructorOptions[]): Menu;
    static setApplicationMenu(menu: Menu | null): void;
  }

  export const app: App;
  export { BrowserWindow, Menu };
  export type { IpcMainInvokeEvent, MenuItemConstructorOptions, WebContents };
  export const ipcMain: IpcMain;
  export const session: { readonly defaultSession: Session };
  export const dialog: { showErrorBox(title: string, content: string): void };

  export const contextBridge: { exposeInMainWorld(apiKey: string, api: Record<string, unknown>): void };
  export const ipcRenderer: { invoke(channel: string, ...args: unknown[]): Promise<unknown> };
}
