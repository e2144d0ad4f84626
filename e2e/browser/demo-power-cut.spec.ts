import { join } from 'node:path';
import { expect, test, type Locator } from '@playwright/test';
import type { ArchiveResponse, ProjectStatus, StatusResponse } from '../../shared/protocol/api.js';
import { DEMO_ADMIN_PASSWORD } from '../../electron/runtime/cli/demo.js';
import { startDemoProcess, type DemoProcess } from '../../test/support/demo-process.js';
import { getJson, removeDir, tempDir, waitFor } from '../../test/support/runtime-process.js';

/** The demo starts a node whose power was cut again after 8 s; then it aligns and takes its role back. */
const FAILBACK_TIMEOUT_MS = 30_000;

async function role(base: string): Promise<ProjectStatus['role'] | undefined> {
  return (await getJson<StatusResponse>(`${base}api/status`)).body.projects[0]?.role;
}

async function numberIn(locator: Locator): Promise<number> {
  return Number((await locator.textContent())?.trim());
}

/** The number a cell shows, once it shows one (the poll retries a read taken mid-render). */
async function shownNumber(locator: Locator): Promise<number> {
  let value = NaN;
  await expect.poll(async () => (value = await numberIn(locator))).not.toBeNaN();
  return value;
}

test.describe('tandem demo: a newcomer cuts the Server\'s power from the UI', () => {
  let dir: string;
  let demo: DemoProcess;

  test.beforeEach(async () => {
    dir = tempDir('tandem-demo-e2e-');
    demo = await startDemoProcess(join(dir, 'pair'));
  });

  test.afterEach(async () => {
    expect(await demo.stop()).toBe(0);
    removeDir(dir);
  });

  test('pc-b takes over with live values, pc-a comes back and serves again, on the same page', async ({ page }) => {
    const a = `http://127.0.0.1:${demo.portA}/`;
    const b = `http://127.0.0.1:${demo.portB}/`;
    await waitFor(async () => ((await role(a)) === 'server' && (await role(b)) === 'standby' ? true : undefined), 30_000, 'pc-a Server and pc-b Standby');

    await page.setViewportSize({ width: 1400, height: 1200 });
    await page.goto(a);
    const servedBy = page.getByTestId('served-by');
    await expect(servedBy).toHaveText('pc-a');
    await expect(page.getByTestId('peer-link')).toHaveText('Peer pc-b link up');
    await page.evaluate(() => Object.assign(window, { tandemSamePage: true }));

    // The banner of `tandem demo` names the administrator's password; a power cut needs an engineer or more.
    expect(demo.output()).toContain(`Sign in (top right) as admin with the password ${DEMO_ADMIN_PASSWORD}`);
    await page.getByTestId('sign-in').click();
    await page.getByTestId('login-user').fill('admin');
    await page.getByTestId('login-password').fill(DEMO_ADMIN_PASSWORD);
    await page.getByTestId('login-submit').click();
    await expect(page.getByTestId('session-role')).toHaveText('administrator');

    // It kills a process, so it asks first; Cancel leaves everything as it was.
    const cutButton = page.getByTestId('power-cut');
    await cutButton.click();
    await expect(page.getByTestId('power-cut-question')).toContainText('Cut power to pc-a?');
    await page.getByTestId('power-cut-cancel').click();
    await expect(page.getByTestId('power-cut-question')).toHaveCount(0);
    await expect(servedBy).toHaveText('pc-a');

    await expect(cutButton).toHaveText('Cut power to pc-a');
    // The archive check below looks from 1 s before the cut: pc-a must have recorded that long.
    const recordedSince = async (from: number) =>
      (await getJson<ArchiveResponse>(`${a}api/projects/demo/archive?tag=Sim.Counter&from=${from}&to=${from + 1_000}`)).body.samples.length;
    await expect.poll(() => recordedSince(Math.floor((Date.now() - 1_000) / 100) * 100)).toBeGreaterThanOrEqual(10);
    const cutAt = Date.now();
    await cutButton.click();
    await page.getByTestId('power-cut-confirm').click();

    await expect(page.getByTestId('switchover-banner')).toContainText('Switched from pc-a to pc-b');
    await expect(servedBy).toHaveText('pc-b');
    // pc-b was started by the demo too, so it offers the same control now that it serves.
    await expect(cutButton).toHaveText('Cut power to pc-b');
    expect(demo.output()).toContain('-- pc-a lost power; it comes back in 8 s');

    await page.getByTestId('nav-tags').click();
    const counter = page.locator('[data-testid="tag-row"][data-tag="Sim.Counter"] .value');
    const onB = await shownNumber(counter);
    await expect.poll(() => numberIn(counter)).toBeGreaterThan(onB);

    // The demo brings pc-a back by itself: it aligns with pc-b and takes its role back.
    await expect(servedBy).toHaveText('pc-a', { timeout: FAILBACK_TIMEOUT_MS });
    await expect(page.getByTestId('switchover-banner')).toContainText('Switched from pc-b to pc-a');
    const onA = await shownNumber(counter);
    await expect.poll(() => numberIn(counter)).toBeGreaterThan(onA);
    expect(demo.output()).toMatch(/-- pc-a is back \(pid \d+\)/);

    // Nothing is missing in the trend: pc-a holds every 100 ms slot of the counter across its outage.
    const from = Math.floor((cutAt - 1_000) / 100) * 100;
    const to = from + 4_000;
    const archive = await getJson<ArchiveResponse>(`${a}api/projects/demo/archive?tag=Sim.Counter&from=${from}&to=${to}`);
    expect(archive.body.samples.map((s) => s.t)).toEqual(Array.from({ length: 41 }, (_, i) => from + i * 100));

    await page.getByTestId('nav-overview').click();
    await expect(page.getByTestId('switchover-row')).toHaveCount(2);
    await expect(cutButton).toHaveText('Cut power to pc-a');
    expect(await page.evaluate(() => 'tandemSamePage' in window)).toBe(true);
  });
});
