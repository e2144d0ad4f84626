import { test as base } from '@playwright/test';
import { FAST_PROJECT } from '../../test/support/fixtures.js';
import { removeDir, startRuntimeProcess, type RuntimeProcess } from '../../test/support/runtime-process.js';

/** Playwright's `test` with `runtime`: a standalone `tandem serve` of the fast test project, node pc-e2e, removed after the test. */
export const test = base.extend<{ runtime: RuntimeProcess }>({
  runtime: async ({}, use) => {
    const runtime = await startRuntimeProcess({ args: ['--project', FAST_PROJECT, '--node', 'pc-e2e'] });
    await use(runtime);
    await runtime.stop();
    removeDir(runtime.dataDir);
  },
});
