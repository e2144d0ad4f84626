import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { pairingOf, persistedCluster, secureUrl, startPairingNode } from '../../test/support/pairing.js';
import { freePorts, removeDir, tempDir, type RuntimeProcess } from '../../test/support/runtime-process.js';
import { signInAs } from '../support/sign-in.js';

/** The limit: at most five clicks, plus typing the code. */
const CLICKS_MAX = 5;

/**
 * After pairing the old token no longer holds: the station drops it and opens the login form by
 * itself. The Standby learns its users from the Server's log a moment later, and the page reloads
 * into the pair, so a sign-in may need another try (bounded).
 */
async function signInAgain(page: Page, name: string): Promise<void> {
  await expect(page.getByTestId('session-user')).toHaveCount(0);
  for (let attempt = 1; ; attempt++) {
    if (!(await page.getByTestId('login-user').isVisible())) await page.getByTestId('sign-in').click();
    await page.getByTestId('login-user').fill(name);
    await page.getByTestId('login-password').fill(`${name}-password`);
    await page.getByTestId('login-submit').click();
    try {
      await expect(page.getByTestId('session-user')).toHaveText(name, { timeout: 3_000 });
      return;
    } catch (error) {
      if (attempt >= 5) throw error;
    }
  }
}

test.describe('pairing two PCs by point and click', () => {
  let dir: string;
  let a: RuntimeProcess;
  let b: RuntimeProcess;

  test.beforeEach(async () => {
    dir = tempDir('tandem-pairing-e2e-');
    const [discoveryPort] = await freePorts(1);
    [a, b] = await Promise.all([startPairingNode('pc-a', join(dir, 'pc-a'), discoveryPort!), startPairingNode('pc-b', join(dir, 'pc-b'), discoveryPort!)]);
  });

  test.afterEach(async () => {
    expect([await a.stop(), await b.stop()]).toEqual([0, 0]);
    removeDir(dir);
  });

  test('pc-a picks pc-b from the PCs found, pc-b types the code: both Overviews show Server and Standby', async ({ browser }) => {
    const pageA = await browser.newPage({ viewport: { width: 1400, height: 1400 } });
    const pageB = await browser.newPage({ viewport: { width: 1400, height: 1400 } });
    let clicks = 0;
    const click = async (target: Locator) => {
      clicks++;
      await target.click();
    };
    await pageA.goto(a.url);
    await pageB.goto(b.url);
    // Pairing needs an engineer on both PCs (signing in is not counted as a pairing click).
    await signInAs(pageA, a.url, 'fast', 'erin', 'engineer');
    await signInAs(pageB, b.url, 'fast', 'erin', 'engineer');

    // pc-a: the wizard is open on a standalone PC and has searched; pick pc-b, then one button.
    await click(pageA.getByTestId('found-node').and(pageA.locator('[data-node="pc-b"]')));
    await expect(pageA.getByTestId('pairing-address')).toHaveValue(secureUrl(b));
    await click(pageA.getByTestId('pairing-start'));
    const code = pageA.getByTestId('pairing-code');
    await expect(code).toHaveText(/^\d{6}$/);
    await expect(pageA.getByTestId('pairing-code-panel')).toContainText('On pc-b, open the Overview and type this code to make it the Standby of fast');

    // pc-b: the request appears by itself; type the code, accept.
    const request = pageB.getByTestId('pairing-request');
    await expect(request).toContainText('pc-a');
    await click(pageB.getByTestId('pairing-code-input'));
    await pageB.getByTestId('pairing-code-input').pressSequentially((await code.textContent())!);
    await click(pageB.getByTestId('pairing-accept'));
    expect(clicks).toBeLessThanOrEqual(CLICKS_MAX);

    // The pair signs tokens with a key of its own (from its new secret): each PC asks its engineer to sign in again.
    for (const page of [pageA, pageB]) await signInAgain(page, 'erin');
    // Both pages load again in the pair (the page may talk only to its pair's nodes) and show it.
    await expect(pageB.getByTestId('pairing-notice')).toHaveText('Paired: this PC is now the Standby of fast; pc-a is its Server.');
    await expect(pageA.getByTestId('pairing-outcome')).toHaveText('pc-b is now the Standby of fast; this PC is its Server.');
    for (const page of [pageA, pageB]) {
      await expect(page.getByTestId('pair-roles')).toHaveText('preferred Server pc-a, Standby pc-b');
      await expect(page.locator('[data-testid="node-row"][data-node="pc-a"]')).toContainText('Server');
      await expect(page.locator('[data-testid="node-row"][data-node="pc-b"]')).toContainText('Standby');
    }
    expect(persistedCluster(b)).toBe(persistedCluster(a));

    // Unpairing is as easy: two clicks, and both run standalone again.
    await pageB.getByTestId('unpair').click();
    await pageB.getByTestId('unpair-confirm').click();
    await expect(pageB.getByTestId('pairing-notice')).toHaveText('pc-b and pc-a run standalone again; each kept its data.');
    // Standalone again, each PC signs tokens with its own key: sign in again to pair anew.
    await signInAgain(pageA, 'erin');
    await expect(pageA.getByTestId('pairing-wizard')).toBeVisible();
    expect([(await pairingOf(a)).pair, (await pairingOf(b)).pair]).toEqual([null, null]);
  });
});
