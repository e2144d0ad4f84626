import { expect, test } from '@playwright/test';
import { FAST_PROJECT } from '../../test/support/fixtures.js';
import { getJson, removeDir, startRuntimeProcess, waitFor, type RuntimeProcess } from '../../test/support/runtime-process.js';
import type { ArchiveResponse } from '../../shared/protocol/api.js';
import { signInAs } from '../support/sign-in.js';

test.describe('operator station in Chromium against a real runtime', () => {
  let runtime: RuntimeProcess;

  test.beforeEach(async () => {
    runtime = await startRuntimeProcess({ args: ['--project', FAST_PROJECT, '--node', 'pc-e2e'] });
  });

  test.afterEach(async () => {
    await runtime.stop();
    removeDir(runtime.dataDir);
  });

  test('an alarm appears, the operator acknowledges it, the CEL shows who did', async ({ page }) => {
    await page.goto(`${runtime.url}#/alarms`);
    await expect(page.getByTestId('connection-state')).toContainText('Connected');
    await expect(page.getByTestId('served-by')).toHaveText('pc-e2e');
    await signInAs(page, runtime.url, 'fast', 'erika', 'operator');

    const trip = page.locator('[data-testid="alarm-row"][data-alarm-id="Trip.Active"]');
    await expect(trip).toHaveAttribute('data-state', 'unackActive');
    await trip.click();
    await page.getByTestId('ack-selected').click();
    await expect(trip).toHaveAttribute('data-state', 'ackActive');

    await page.getByTestId('nav-cel').click();
    const ackEntry = page.locator('[data-testid="cel-row"][data-kind="operator"]', { hasText: 'Unit tripped: acknowledged by erika' });
    await expect(ackEntry).toHaveCount(1);
  });

  test('acknowledging all visible alarms leaves none unacknowledged', async ({ page }) => {
    await page.goto(`${runtime.url}#/alarms`);
    await signInAs(page, runtime.url, 'fast', 'frank', 'operator');
    await expect(page.locator('[data-testid="alarm-row"][data-alarm-id="Trip.Active"]')).toBeVisible();
    await page.getByTestId('ack-all-visible').click();
    await expect(page.locator('[data-testid="alarm-row"][data-alarm-id="Trip.Active"]')).toHaveAttribute('data-state', 'ackActive');
  });

  test('a trend draws archived data recorded before the page was opened', async ({ page }) => {
    // Let the archive fill for a few seconds, then restart the runtime: older points can only come from the archive.
    const since = Date.now();
    await waitFor(async () => {
      const { body } = await getJson<ArchiveResponse>(`${runtime.url}api/projects/fast/archive?tag=Sim.Counter&from=${since}&to=${Date.now()}`);
      return body.samples.length >= 40 ? true : undefined;
    });
    const dataDir = runtime.dataDir;
    await runtime.stop();
    runtime = await startRuntimeProcess({ dataDir, args: ['--project', FAST_PROJECT, '--node', 'pc-e2e'] });

    await page.goto(`${runtime.url}#/trends`);
    await page.locator('label', { hasText: 'Sim.Counter' }).locator('input[type="checkbox"]').check();
    const chart = page.getByTestId('trend-chart');
    await expect(chart.locator('canvas').first()).toBeVisible();
    await expect.poll(async () => Number(await chart.getAttribute('data-points'))).toBeGreaterThanOrEqual(40);
  });

  test('a lost connection is shown, and the station reconnects by itself', async ({ page }) => {
    await page.goto(`${runtime.url}#/overview`);
    await expect(page.getByTestId('connection-state')).toContainText('Connected');
    const dataDir = runtime.dataDir;
    const url = new URL(runtime.url);
    runtime.child.kill('SIGKILL');
    await expect(page.getByTestId('connection-state')).toContainText('lost');
    runtime = await startRuntimeProcess({ dataDir, args: ['--project', FAST_PROJECT, '--node', 'pc-e2e', '--port', url.port] });
    await expect(page.getByTestId('connection-state')).toContainText('Connected', { timeout: 20_000 });
  });
});
