import { expect, type Page } from '@playwright/test';
import { userToken } from '../../test/support/runtime-process.js';

type Role = 'viewer' | 'operator' | 'engineer' | 'administrator';

/** Signs in through the station's login form, as an operator would, and waits for the top bar to name the user and role. */
export async function signIn(page: Page, name: string, password: string, role: Role): Promise<void> {
  await page.getByTestId('sign-in').click();
  await page.getByTestId('login-user').fill(name);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('session-user')).toHaveText(name);
  await expect(page.getByTestId('session-role')).toHaveText(role);
}

/**
 * Makes `name` a user of `project` with `role` (through the API, as the first administrator) and
 * signs in as them through the station's login form.
 */
export async function signInAs(page: Page, baseUrl: string, project: string, name: string, role: Role): Promise<void> {
  await userToken(baseUrl, project, name, role);
  await signIn(page, name, `${name}-password`, role);
}
