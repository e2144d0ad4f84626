// The desktop shell against a real runtime. Needs an Electron binary and a built app (`npm run build`);
// playwright.config.ts includes this project only where the binary exists.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron as electron, test as base, expect, type ElectronApplication, type Page } from '@playwright/test';

const appDir = resolve(import.meta.dirname, '../..');

/** The page globals this spec touches (the test tsconfig has no DOM library). */
interface PageGlobals {
  tandemDesktop: { isDesktop: boolean; version(): Promise<string> };
  tandemMarker?: string;
  open(url: string): unknown;
  location: { assign(url: string): void };
}

interface Desktop {
  app: ElectronApplication;
  page: Page;
  dataDir: string;
}

async function launchDesktop(): Promise<Desktop> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tandem-desktop-'));
  const env = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  // TANDEM_RUNTIME_NODE: better-sqlite3 is built for this Node, not for Electron's (see docs/desktop.md).
  const app = await electron.launch({ args: [appDir], cwd: appDir, env: { ...env, TANDEM_DATA_DIR: dataDir, TANDEM_RUNTIME_NODE: process.execPath } });
  const page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
  return { app, page, dataDir };
}

const test = base.extend<{ desktop: Desktop }>({
  desktop: async ({}, use) => {
    const desktop = await launchDesktop();
    await use(desktop);
    await desktop.app.close();
    await rm(desktop.dataDir, { recursive: true, force: true });
  },
});

test('shows the operator UI of its own runtime, which keeps its data in the chosen folder', async ({ desktop }) => {
  expect(desktop.page.url()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  await expect(desktop.page.locator('#root')).not.toBeEmpty();
  expect((await readdir(join(desktop.dataDir, 'data'))).length).toBeGreaterThan(0);
});

test('gives the page the named desktop API and nothing of Node', async ({ desktop }) => {
  const { version } = JSON.parse(await readFile(join(appDir, 'package.json'), 'utf8')) as { version: string };
  const api = await desktop.page.evaluate(async () => {
    const desktopApi = (globalThis as unknown as PageGlobals).tandemDesktop;
    return { keys: Object.keys(desktopApi).sort(), isDesktop: desktopApi.isDesktop, version: await desktopApi.version() };
  });
  expect(api).toEqual({ keys: ['isDesktop', 'version'], isDesktop: true, version });
  expect(await desktop.page.evaluate('typeof require')).toBe('undefined');
  expect(await desktop.page.evaluate('typeof process')).toBe('undefined');
  expect(await desktop.page.evaluate('typeof module')).toBe('undefined');
});

test('opens no second window', async ({ desktop }) => {
  expect(await desktop.page.evaluate(() => (globalThis as unknown as PageGlobals).open('/') === null)).toBe(true);
  expect(desktop.app.windows()).toHaveLength(1);
});

test('does not leave the runtime for another origin', async ({ desktop }) => {
  let requestsElsewhere = 0;
  const elsewhere = createServer((_request, response) => {
    requestsElsewhere += 1;
    response.end('<title>elsewhere</title>');
  });
  await new Promise<void>((listening) => elsewhere.listen(0, '127.0.0.1', listening));
  const elsewhereUrl = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/`;
  try {
    const runtimeUrl = desktop.page.url();
    await desktop.page.evaluate(() => Object.assign(globalThis, { tandemMarker: 'unchanged' }));
    await desktop.page.evaluate((url) => (globalThis as unknown as PageGlobals).location.assign(url), elsewhereUrl);
    // A blocked navigation is a non-event: give it a bounded chance to happen, then check it did not.
    await expect(desktop.page.waitForURL(elsewhereUrl, { timeout: 2_000 })).rejects.toThrow();
    expect(desktop.page.url()).toBe(runtimeUrl);
    expect(await desktop.page.evaluate(() => (globalThis as unknown as PageGlobals).tandemMarker)).toBe('unchanged');
    expect(requestsElsewhere).toBe(0);
  } finally {
    elsewhere.close();
  }
});

test('runs no code built from strings, as its content security policy says', async ({ desktop }) => {
  const outcome = await desktop.page.evaluate(() => {
    try {
      return String(eval('"ran"'));
    } catch (error) {
      return error instanceof EvalError ? 'refused' : String(error);
    }
  });
  expect(outcome).toBe('refused');
});

test('stops its runtime when it quits', async () => {
  const desktop = await launchDesktop();
  const runtimeUrl = desktop.page.url();
  expect((await fetch(runtimeUrl)).ok).toBe(true);
  await desktop.app.close();
  await expect(fetch(runtimeUrl)).rejects.toThrow();
  await rm(desktop.dataDir, { recursive: true, force: true });
});
