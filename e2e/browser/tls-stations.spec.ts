import { expect, test, type Browser, type Page } from '@playwright/test';
import { displayFingerprint } from '../../shared/cluster/fingerprint.js';
import { startPair, type Pair } from '../../test/support/cluster-pair.js';
import { FAST_PROJECT } from '../../test/support/fixtures.js';
import { fingerprintOf } from '../../test/support/pairing.js';
import { removeDir, tempDir } from '../../test/support/runtime-process.js';

/** Two loopback aliases as the two PCs' addresses: the page loads from pc-a's own PC over plain HTTP. */
const ADDRESS = { 'pc-a': '127.0.0.6', 'pc-b': '127.0.0.7' } as const;

test.describe('a browser station of a pair over TLS', () => {
  let dir: string;
  let pair: Pair;

  test.beforeEach(async () => {
    dir = tempDir('tandem-tls-e2e-');
    pair = await startPair({ dir, projectFile: FAST_PROJECT, projectId: 'fast', tls: { addresses: ADDRESS } });
  });

  test.afterEach(async () => {
    await pair.stop();
    removeDir(dir);
  });

  async function dashboard(browser: Browser, acceptedCertificates: boolean): Promise<Page> {
    const context = await browser.newContext({ ignoreHTTPSErrors: acceptedCertificates, viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${pair.nodes['pc-a'].url}#/redundancy`);
    return page;
  }

  const card = (page: Page, node: string) => page.locator(`[data-testid="dashboard-node"][data-node="${node}"]`);

  test('that has not accepted the other node certificate cannot reach it, and is told where to accept it and what to compare', async ({ browser }) => {
    const page = await dashboard(browser, false);
    const other = card(page, 'pc-b');
    const address = new URL(pair.nodes['pc-b'].url);
    const hint = other.getByTestId('node-certificate-hint');
    await expect(hint).toContainText("If this browser has not accepted pc-b's certificate yet, open");
    await expect(hint.getByRole('link')).toHaveAttribute('href', `https://${ADDRESS['pc-b']}:${address.port}`);
    // pc-a pinned pc-b's certificate at pairing and tells the page, though the page cannot reach pc-b.
    await expect(other.getByTestId('node-fingerprint')).toHaveText(displayFingerprint(fingerprintOf(pair.nodes['pc-b'])));
    await expect(card(page, 'pc-a').getByTestId('node-certificate-hint')).toHaveCount(0);
    await page.context().close();
  });

  test('that has accepted it reaches both nodes over https and shows no hint', async ({ browser }) => {
    const page = await dashboard(browser, true);
    await expect(card(page, 'pc-b').getByTestId('node-role')).toHaveText('Standby');
    await expect(card(page, 'pc-b').getByTestId('node-fingerprint')).toHaveText(displayFingerprint(fingerprintOf(pair.nodes['pc-b'])));
    await expect(page.getByTestId('node-certificate-hint')).toHaveCount(0);
    await page.context().close();
  });
});
