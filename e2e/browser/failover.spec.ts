import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { CelResponse, ProjectStatus, StatusResponse } from '../../shared/protocol/api.js';
import { FAST_PROJECT } from '../../test/support/fixtures.js';
import { signInAs } from '../support/sign-in.js';
import { freePorts, getJson, removeDir, startRuntimeProcess, tempDir, waitFor, type RuntimeProcess } from '../../test/support/runtime-process.js';

type Node = 'pc-a' | 'pc-b';

/** How long a node may take to stop cleanly before it is killed. */
const STOP_TIMEOUT_MS = 5_000;

async function projectStatus(runtime: RuntimeProcess): Promise<ProjectStatus> {
  return (await getJson<StatusResponse>(`${runtime.url}api/status`)).body.projects[0]!;
}

async function stopOrKill(runtime: RuntimeProcess): Promise<void> {
  const stopped = await Promise.race([runtime.stop().then(() => true), new Promise<false>((r) => setTimeout(() => r(false), STOP_TIMEOUT_MS))]);
  if (!stopped) {
    runtime.child.kill('SIGKILL');
    await runtime.stop();
  }
}

async function numberIn(locator: Locator): Promise<number> {
  return Number((await locator.textContent())?.trim());
}

/** Seq of every CEL row shown, top to bottom. */
async function shownCelSeqs(page: Page): Promise<number[]> {
  return page.getByTestId('cel-row').evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-seq'))));
}

test.describe('a station follows the Server of a pair by itself', () => {
  let dir: string;
  let nodes: Record<Node, RuntimeProcess>;

  test.beforeEach(async () => {
    dir = tempDir('tandem-failover-');
    const [portA, portB] = await freePorts(2);
    const cluster = join(dir, 'cluster.json');
    writeFileSync(
      cluster,
      JSON.stringify({
        cluster: 'e2e-line',
        secret: 'an-e2e-secret-of-enough-length',
        nodes: { 'pc-a': `http://127.0.0.1:${portA}`, 'pc-b': `http://127.0.0.1:${portB}` },
        timing: { heartbeatMs: 100, failureTimeoutMs: 500 },
        projects: [{ id: 'fast', file: FAST_PROJECT, server: 'pc-a', standby: 'pc-b', failback: 'manual' }],
      }),
    );
    const start = (node: Node) => startRuntimeProcess({ dataDir: join(dir, node), args: ['--cluster', cluster, '--node', node] });
    nodes = { 'pc-a': await start('pc-a'), 'pc-b': await start('pc-b') };
    await waitFor(
      async () => {
        const [a, b] = await Promise.all([projectStatus(nodes['pc-a']), projectStatus(nodes['pc-b'])]);
        return a.role === 'server' && !a.degraded && b.role === 'standby' ? true : undefined;
      },
      20_000,
      'pc-a serving with pc-b as its Standby',
    );
  });

  test.afterEach(async () => {
    await Promise.all(Object.values(nodes).map(stopOrKill));
    removeDir(dir);
  });

  test('after SIGKILL of the Server the station shows the Standby serving, live values and a whole CEL, without a reload', async ({ page }, testInfo) => {
    await page.setViewportSize({ width: 1400, height: 1600 });
    await page.goto(`${nodes['pc-a'].url}#/tags`);
    await expect(page.getByTestId('served-by')).toHaveText('pc-a');
    const counter = page.locator('[data-testid="tag-row"][data-tag="Sim.Counter"] .value');
    const first = await numberIn(counter);
    await expect.poll(() => numberIn(counter)).toBeGreaterThan(first);
    // The station is a witness to pc-b over its control connection before the Server goes.
    await expect(page.locator('[data-testid="peer-link"]')).toHaveText('Peer pc-b link up');
    await page.locator('.top-bar').screenshot({ path: testInfo.outputPath('top-bar-before.png') });
    await page.evaluate(() => Object.assign(window, { tandemSamePage: true }));

    const killedAt = Date.now();
    nodes['pc-a'].child.kill('SIGKILL');
    await page.waitForFunction(() => document.querySelector('[data-testid="served-by"]')?.textContent === 'pc-b', null, { polling: 10, timeout: 15_000 });
    const observed = `served-by showed pc-b ${Date.now() - killedAt} ms after SIGKILL of pc-a`;
    testInfo.annotations.push({ type: 'observed', description: observed });
    console.log(observed);

    const banner = page.getByTestId('switchover-banner');
    await expect(banner).toContainText('Switched from pc-a to pc-b');
    await expect(banner).toContainText('pc-a silent for');
    const afterSwitch = await numberIn(counter);
    await expect.poll(() => numberIn(counter)).toBeGreaterThan(afterSwitch);
    await page.locator('.top-bar').screenshot({ path: testInfo.outputPath('top-bar-after.png') });

    await page.getByTestId('nav-cel').click();
    const takeover = page.getByTestId('cel-row').filter({ hasText: /pc-b serves in epoch \d+: pc-a silent for/ });
    await expect(takeover).toHaveCount(1);
    const takeoverSeq = Number(await takeover.getAttribute('data-seq'));
    // The list spans the switchover: entries pc-a sent before it, and pc-b's after it.
    await expect.poll(async () => Math.max(...(await shownCelSeqs(page)))).toBeGreaterThan(takeoverSeq);
    const seqs = await shownCelSeqs(page);
    expect(Math.min(...seqs)).toBeLessThan(takeoverSeq);
    expect(new Set(seqs).size).toBe(seqs.length);
    // No gap: every entry the new Server holds in the range shown is in the list.
    const held = await getJson<CelResponse>(`${nodes['pc-b'].url}api/projects/fast/cel?limit=1000`);
    const inRange = held.body.entries.map((e) => e.seq).filter((seq) => seq >= Math.min(...seqs) && seq <= Math.max(...seqs));
    expect(seqs.filter((seq) => inRange.includes(seq))).toEqual(inRange);

    await page.getByTestId('nav-overview').click();
    await expect(page.getByTestId('switchover-row')).toHaveCount(1);
    await expect(page.getByTestId('switchover-row')).toContainText('pc-a');
    expect(await page.evaluate(() => 'tandemSamePage' in window)).toBe(true);
  });

  test('an acknowledgement clicked right after the Server is killed is applied exactly once', async ({ page }, testInfo) => {
    await page.goto(`${nodes['pc-a'].url}#/alarms`);
    await expect(page.getByTestId('served-by')).toHaveText('pc-a');
    // Signed in on pc-a: the token (one key for the cluster) and the user (replicated) hold on pc-b after the takeover.
    await signInAs(page, nodes['pc-a'].url, 'fast', 'otto', 'operator');
    const trip = page.locator('[data-testid="alarm-row"][data-alarm-id="Trip.Active"]');
    await expect(trip).toHaveAttribute('data-state', 'unackActive');
    // The station has learned where the other node is (from pc-a's status) before pc-a goes.
    await expect(page.getByTestId('peer-link')).toHaveText('Peer pc-b link up');
    await trip.click();

    nodes['pc-a'].child.kill('SIGKILL');
    await page.getByTestId('ack-selected').click();
    const clickedAt = Date.now();

    await expect(trip).toHaveAttribute('data-state', 'ackActive');
    const observed = `the acknowledgement showed ${Date.now() - clickedAt} ms after the click`;
    testInfo.annotations.push({ type: 'observed', description: observed });
    console.log(observed);
    await expect(page.getByTestId('served-by')).toHaveText('pc-b');
    const acks = async () => (await getJson<CelResponse>(`${nodes['pc-b'].url}api/projects/fast/cel?kind=operator&text=acknowledged%20by%20otto`)).body.entries.length;
    expect(await acks()).toBe(1);
    await page.getByTestId('nav-cel').click();
    await expect(page.locator('[data-testid="cel-row"][data-kind="operator"]', { hasText: 'Unit tripped: acknowledged by otto' })).toHaveCount(1);
    expect(await acks()).toBe(1);
  });
});
