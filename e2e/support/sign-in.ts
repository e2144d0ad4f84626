import { expect, type Page } from '@playwright/test';
import { userToken } from '../../test/support/runtime-process.js';

/**
 * Makes `name` a user of `project` with `role` (through the API, as the first administrator) and
 * signs in as them through the station's login form, as an operator would.
 */
export async function signInAs(page: Page, baseUrl: string, project: string, name: string, role: 'viewer' | 'operator' | 'engineer' | 'administrator'): Promise<void> {
  await userToken(baseUrl, project, name, role);
  await page.getByTestId('sign-in').click();
  await page.getByTestId('login-user').fill(name);
  await page.getByTestId('login-password').fill(`${name}-password`);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('session-user')).toHaveText(name);
  await expect(page.getByTestId('session-role')).toHaveText(role);
}
