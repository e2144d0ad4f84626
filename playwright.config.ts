import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { defineConfig } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from './e2e/support/chromium.js';

/** The desktop shell's tests need an Electron binary; where npm could not download one they do not run. */
function electronBinaryPresent(): boolean {
  try {
    const binary = createRequire(import.meta.url)('electron') as unknown;
    return typeof binary === 'string' && existsSync(binary);
  } catch {
    return false;
  }
}

const desktop = electronBinaryPresent();
if (!desktop) console.log('Desktop shell tests (e2e/desktop) not run: no Electron binary is installed on this machine.');

export default defineConfig({
  testDir: 'e2e',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
    // A paired station follows the Server to the other PC over https://, whose self-signed
    // certificate an operator accepts or installs once (docs/security.md); these stations have.
    ignoreHTTPSErrors: true,
    screenshot: 'only-on-failure',
    trace: 'off',
  },
  projects: [
    { name: 'browser', testDir: 'e2e/browser' },
    ...(desktop ? [{ name: 'desktop', testDir: 'e2e/desktop' }] : []),
  ],
});
