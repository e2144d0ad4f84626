import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { displayFingerprint } from '../../shared/cluster/fingerprint.js';
import { startPair, type Pair } from '../../test/support/cluster-pair.js';
import { FAST_PROJECT } from '../../test/support/fixtures.js';
import { fingerprintOf } from '../../test/support/pairing.js';
import { login, postJson, removeDir, tempDir } from '../../test/support/runtime-process.js';
import { signInAs } from '../support/sign-in.js';

const screenshot = (name: string) => fileURLToPath(new URL(`../../docs/screenshots/${name}`, import.meta.url));

test.describe('the Redundancy dashboard of a pair', () => {
  let dir: string;
  let pair: Pair;

  test.beforeEach(async () => {
    dir = tempDir('tandem-dashboard-');
    pair = await startPair({ dir, projectFile: FAST_PROJECT, projectId: 'fast' });
  });

  test.afterEach(async () => {
    await pair.stop();
    removeDir(dir);
  });

  test('shows both roles, runs a failover drill to the Standby and back, and lists both switchovers', async ({ page }) => {
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(`${pair.nodes['pc-a'].url}#/alarms`);
    // The drill's switchovers need an engineer; dora signs in on pc-a.
    await signInAs(page, pair.nodes['pc-a'].url, 'fast', 'dora', 'engineer');
    await expect(page.locator('[data-testid="alarm-row"][data-alarm-id="Trip.Active"]')).toBeVisible();
    await page.screenshot({ path: screenshot('alarm-list.png'), animations: 'disabled' });

    await page.getByTestId('nav-redundancy').click();
    const topologyNode = (node: string) => page.locator(`[data-testid="topology-node"][data-node="${node}"]`);
    await expect(topologyNode('pc-a')).toHaveAttribute('data-duty', 'server');
    await expect(topologyNode('pc-b')).toHaveAttribute('data-duty', 'standby');
    await expect(page.getByTestId('topology-peer-link')).toHaveAttribute('data-state', 'up');
    const card = (node: string) => page.locator(`[data-testid="dashboard-node"][data-node="${node}"]`);
    await expect(card('pc-a').getByTestId('node-role')).toHaveText('Server');
    await expect(card('pc-b').getByTestId('node-role')).toHaveText('Standby');
    // Each node's certificate, as a browser's certificate dialog shows it for its https:// address.
    for (const node of ['pc-a', 'pc-b'] as const) await expect(card(node).getByTestId('node-fingerprint')).toHaveText(displayFingerprint(fingerprintOf(pair.nodes[node])));
    await expect(card('pc-b').getByTestId('node-rtt')).toHaveText(/\d+\.\d ms/);
    await expect(card('pc-a').getByTestId('node-drivers')).toContainText('1/1 connected');
    await expect(page.getByTestId('history-row')).toHaveCount(1);

    // Frozen roles refuse a planned switchover: the drill says so instead of starting.
    const dora = await login(pair.nodes['pc-a'].url, 'dora', 'dora-password', 'fast');
    const freeze = (frozen: boolean) => postJson(`${pair.nodes['pc-a'].url}api/projects/fast/freeze`, { requestId: `e2e-freeze-${frozen}`, user: 'dora', frozen }, dora);
    expect((await freeze(true)).status).toBe(200);
    await expect(page.getByTestId('drill-refusal')).toContainText('Roles are frozen');
    await expect(page.getByTestId('drill-start')).toBeDisabled();
    expect((await freeze(false)).status).toBe(200);
    await expect(page.getByTestId('drill-start')).toBeEnabled();

    await page.getByTestId('drill-start').click();
    await expect(page.getByTestId('drill-question')).toContainText('pc-a hands the Server role to pc-b');
    await page.getByTestId('drill-confirm').click();

    const report = page.getByTestId('drill-report');
    await expect(report).toBeVisible({ timeout: 80_000 });
    await expect(page.getByTestId('drill-result')).toHaveText('Drill passed');
    await expect(page.getByTestId('drill-leg')).toHaveCount(2);
    await expect(page.getByTestId('drill-leg').nth(0)).toContainText('pc-a → pc-b');
    await expect(page.getByTestId('drill-leg').nth(1)).toContainText('pc-b → pc-a');
    await expect(page.getByTestId('drill-leg-check')).toHaveText(['verified', 'verified']);
    await expect(page.getByTestId('served-by')).toHaveText('pc-a');

    const planned = page.locator('[data-testid="history-row"][data-reason="planned"]');
    await expect(planned).toHaveCount(2);
    await expect(planned.nth(0)).toContainText('pc-a');
    await expect(planned.nth(1)).toContainText('pc-b');
    await expect(topologyNode('pc-a')).toHaveAttribute('data-duty', 'server');
    await expect(topologyNode('pc-b')).toHaveAttribute('data-duty', 'standby');
    // The switchover back made pc-a the preferred Server again, as the confirmation said.
    const status = await pair.status('pc-a');
    expect(status.roles.preferred).toBe('pc-a');

    await page.mouse.move(0, 0);
    await page.screenshot({ path: screenshot('dashboard.png'), animations: 'disabled' });
  });
});
