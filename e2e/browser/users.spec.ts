import { expect, type Page } from '@playwright/test';
import { ADMIN_PASSWORD, loginAdmin, userToken } from '../../test/support/runtime-process.js';
import { test } from '../support/fast-runtime.js';
import { signIn } from '../support/sign-in.js';

const row = (page: Page, user: string) => page.locator(`[data-testid="user-row"][data-user="${user}"]`);

/** Signs in as the first administrator and opens Users from the nav, which offers it only now. */
async function openUsersAsAdmin(page: Page, url: string): Promise<void> {
  // A fresh node creates "admin" a moment after it listens; until then a login is refused (503).
  await loginAdmin(url);
  await page.goto(url);
  await expect(page.getByTestId('nav-alarms')).toBeVisible();
  await expect(page.getByTestId('nav-users')).toHaveCount(0);
  await signIn(page, 'admin', ADMIN_PASSWORD, 'administrator');
  await page.getByTestId('nav-users').click();
  await expect(row(page, 'admin')).toContainText('(you)');
}

/** Fills the add form and presses "Add user…": the question, or the form's refusal, shows next. */
async function typeNewUser(page: Page, name: string, role: string, password: string, again: string): Promise<void> {
  await page.getByTestId('user-add').click();
  const form = page.getByTestId('user-change');
  await form.getByTestId('new-user-name').fill(name);
  await form.getByTestId('role-select').selectOption(role);
  await form.getByTestId('new-password').fill(password);
  await form.getByTestId('new-password-again').fill(again);
  await form.getByTestId('user-change-next').click();
}

test.describe('user management in Chromium against a real runtime', () => {
  test('an administrator adds an operator, who acknowledges but sees no Users; made a viewer, her station follows', async ({ page, browser, runtime }) => {
    await openUsersAsAdmin(page, runtime.url);
    await typeNewUser(page, 'olga', 'operator', 'olga-password', 'olga-password');
    await expect(page.getByTestId('user-change-question')).toHaveText('Add olga as operator? olga can sign in at once with the password you typed.');
    await page.getByTestId('user-change-confirm').click();
    await expect(page.getByTestId('users-answer')).toHaveText('Added olga as operator.');
    await expect(row(page, 'olga').getByTestId('user-role')).toHaveText('operator');
    await expect(row(page, 'olga').getByTestId('user-state')).toHaveText('enabled');
    await expect(row(page, 'olga').getByTestId('user-changed')).toContainText('by admin');

    // Olga at another station: a second browser context, with its own session.
    const station = await browser.newContext();
    const olga = await station.newPage();
    await olga.goto(`${runtime.url}#/alarms`);
    await signIn(olga, 'olga', 'olga-password', 'operator');
    await expect(olga.getByTestId('nav-alarms')).toBeVisible();
    await expect(olga.getByTestId('nav-users')).toHaveCount(0);
    const trip = olga.locator('[data-testid="alarm-row"][data-alarm-id="Trip.Active"]');
    await expect(trip).toHaveAttribute('data-state', 'unackActive');
    await trip.click();
    await olga.getByTestId('ack-selected').click();
    await expect(trip).toHaveAttribute('data-state', 'ackActive');
    await olga.goto(`${runtime.url}#/users`);
    await expect(olga.getByTestId('users-needs-administrator')).toHaveText('Managing users needs the administrator role; olga is operator.');

    await row(page, 'olga').getByTestId('user-action-role').click();
    await page.getByTestId('user-change').getByTestId('role-select').selectOption('viewer');
    await page.getByTestId('user-change-next').click();
    await expect(page.getByTestId('user-change-question')).toHaveText('Change the role of olga from operator to viewer? It takes effect at once, on every station.');
    await page.getByTestId('user-change-confirm').click();
    await expect(page.getByTestId('users-answer')).toHaveText('olga is now viewer.');
    await expect(row(page, 'olga').getByTestId('user-role')).toHaveText('viewer');

    // Her station learns the new role without signing in again, and the server refuses what a viewer may not do.
    await expect(olga.getByTestId('session-role')).toHaveText('viewer');
    await expect(olga.getByTestId('users-needs-administrator')).toHaveText('Managing users needs the administrator role; olga is viewer.');
    await olga.getByTestId('nav-alarms').click();
    await expect(olga.getByTestId('ack-selected')).toHaveAttribute('title', 'Needs the role operator or higher; olga is viewer');
    await olga.locator('[data-testid="alarm-row"][data-alarm-id="Blink.On"]').click();
    await olga.keyboard.press('a');
    await expect(olga.locator('.banners')).toContainText('this needs the role operator or higher; olga is viewer');
    await station.close();

    await page.getByTestId('nav-cel').click();
    await expect(page.locator('[data-testid="cel-row"][data-kind="operator"]', { hasText: 'User olga: role operator → viewer' })).toHaveCount(1);
  });

  test('a mismatched confirmation and a refused request each say what is wrong; the administrator changes their own password', async ({ page, runtime }) => {
    await openUsersAsAdmin(page, runtime.url);
    await typeNewUser(page, 'olga', 'operator', 'olga-password', 'olga-passwort');
    await expect(page.getByTestId('user-change-error')).toHaveText('The two passwords differ: type the same new password in both fields.');
    await expect(page.getByTestId('user-change-question')).toHaveCount(0);

    // "admin" exists: the server refuses to overwrite that user, and its sentence shows in the form.
    const form = page.getByTestId('user-change');
    await form.getByTestId('new-user-name').fill('admin');
    await form.getByTestId('new-password-again').fill('olga-password');
    await form.getByTestId('user-change-next').click();
    await expect(page.getByTestId('user-change-question')).toHaveText('Add admin as operator? admin can sign in at once with the password you typed.');
    await page.getByTestId('user-change-confirm').click();
    await expect(page.getByTestId('user-change-error')).toHaveText('user "admin" exists already (version 1, last changed by system): choose another name, or change that user in the list');
    await expect(row(page, 'admin').getByTestId('user-role')).toHaveText('administrator');
    await expect(row(page, 'olga')).toHaveCount(0);

    await page.getByTestId('change-password').click();
    const dialog = page.getByTestId('password-dialog');
    await dialog.getByTestId('current-password').fill('not-the-password');
    await dialog.getByTestId('new-password').fill('admin-new-password');
    await dialog.getByTestId('new-password-again').fill('admin-new-password');
    await dialog.getByTestId('password-submit').click();
    await expect(dialog.getByTestId('password-error')).toContainText('the current password is wrong');
    await dialog.getByTestId('current-password').fill(ADMIN_PASSWORD);
    await dialog.getByTestId('password-submit').click();
    await expect(dialog.getByTestId('password-changed')).toBeVisible();
    await dialog.getByTestId('password-close').click();
    await page.getByTestId('sign-out').click();
    await signIn(page, 'admin', 'admin-new-password', 'administrator');
  });

  test('an administrator resets a password and disables a user, whose station is signed out', async ({ page, browser, runtime }) => {
    await userToken(runtime.url, 'fast', 'otto', 'operator');
    await openUsersAsAdmin(page, runtime.url);
    await row(page, 'otto').getByTestId('user-action-password').click();
    const form = page.getByTestId('user-change');
    await form.getByTestId('new-password').fill('otto-new-password');
    await form.getByTestId('new-password-again').fill('otto-new-password');
    await form.getByTestId('user-change-next').click();
    await expect(page.getByTestId('user-change-question')).toHaveText('Set a new password for otto? The old one stops working; stations signed in as otto stay signed in.');
    await page.getByTestId('user-change-confirm').click();
    await expect(page.getByTestId('users-answer')).toHaveText('New password set for otto.');

    const station = await browser.newContext();
    const otto = await station.newPage();
    await otto.goto(runtime.url);
    await signIn(otto, 'otto', 'otto-new-password', 'operator');

    await row(page, 'otto').getByTestId('user-action-disable').click();
    await expect(page.getByTestId('user-change-question')).toHaveText('Disable otto? otto can no longer sign in, and stations signed in as otto are signed out.');
    await page.getByTestId('user-change-confirm').click();
    await expect(page.getByTestId('users-answer')).toHaveText('otto is disabled.');
    await expect(row(page, 'otto').getByTestId('user-state')).toHaveText('disabled');
    await expect(otto.getByTestId('login-reason')).toHaveText('user "otto" is disabled; ask an administrator');
    await expect(otto.getByTestId('sign-in')).toBeVisible();
    await station.close();

    await row(page, 'otto').getByTestId('user-action-enable').click();
    await page.getByTestId('user-change-confirm').click();
    await expect(page.getByTestId('users-answer')).toHaveText('otto is enabled.');
    await expect(row(page, 'otto').getByTestId('user-state')).toHaveText('enabled');
  });
});
