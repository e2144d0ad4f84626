import { expect } from '@playwright/test';
import { test } from '../support/fast-runtime.js';
import { signInAs } from '../support/sign-in.js';

test.describe('roles in Chromium against a real runtime', () => {
  test('a viewer sees live values but cannot acknowledge; an operator can after signing in', async ({ page, runtime }) => {
    // Without a login the plant's values show (the project allows viewing without a login).
    await page.goto(`${runtime.url}#/tags`);
    const counter = page.locator('[data-testid="tag-row"][data-tag="Sim.Counter"] .value');
    await expect(counter).not.toHaveText('—');
    const first = await counter.textContent();
    await expect(counter).not.toHaveText(first!);

    await page.goto(`${runtime.url}#/alarms`);
    await signInAs(page, runtime.url, 'fast', 'vera', 'viewer');
    const trip = page.locator('[data-testid="alarm-row"][data-alarm-id="Trip.Active"]');
    await expect(trip).toHaveAttribute('data-state', 'unackActive');
    await trip.click();
    const ack = page.getByTestId('ack-selected');
    await expect(ack).toBeDisabled();
    await expect(ack).toHaveAttribute('title', 'Needs the role operator or higher; vera is viewer');
    // The keyboard shortcut still asks the server, which refuses: its reason is shown.
    await page.keyboard.press('a');
    await expect(page.locator('.banners')).toContainText('this needs the role operator or higher; vera is viewer');
    await expect(trip).toHaveAttribute('data-state', 'unackActive');

    await page.getByTestId('sign-out').click();
    await expect(page.getByTestId('sign-in')).toBeVisible();
    await signInAs(page, runtime.url, 'fast', 'olga', 'operator');
    await trip.click();
    await expect(ack).toBeEnabled();
    await ack.click();
    await expect(trip).toHaveAttribute('data-state', 'ackActive');
    await page.getByTestId('nav-cel').click();
    await expect(page.locator('[data-testid="cel-row"][data-kind="operator"]', { hasText: 'Unit tripped: acknowledged by olga' })).toHaveCount(1);
  });

  test('a command without a login asks for one', async ({ page, runtime }) => {
    await page.goto(`${runtime.url}#/alarms`);
    const trip = page.locator('[data-testid="alarm-row"][data-alarm-id="Trip.Active"]');
    await expect(trip).toHaveAttribute('data-state', 'unackActive');
    await trip.click();
    await page.getByTestId('ack-selected').click();
    await expect(page.getByTestId('login-reason')).toContainText('needs a login');
    await page.getByTestId('login-user').fill('admin');
    await page.getByTestId('login-password').fill('wrong-password');
    await page.getByTestId('login-submit').click();
    await expect(page.getByTestId('login-error')).toContainText('wrong user name or password');
    await expect(trip).toHaveAttribute('data-state', 'unackActive');
  });
});
