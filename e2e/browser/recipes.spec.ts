import { expect } from '@playwright/test';
import { test } from '../support/fast-runtime.js';
import { signInAs } from '../support/sign-in.js';

test.describe('setpoints and recipes in Chromium against a real runtime', () => {
  test('an engineer writes a setpoint from the tag list, after confirming the exact value', async ({ page, runtime }) => {
    await page.goto(`${runtime.url}#/tags`);
    await signInAs(page, runtime.url, 'fast', 'gina', 'engineer');
    const row = page.locator('[data-testid="tag-row"][data-tag="Test.Setpoint"]');
    await expect(row.locator('.value')).toHaveText('50 °C');
    // Only writable tags offer a write.
    await expect(page.locator('[data-testid="tag-row"][data-tag="Sim.Counter"]').getByTestId('tag-write')).toHaveCount(0);
    await row.getByTestId('tag-write').click();
    await page.getByTestId('tag-write-value').fill('64.5');
    await page.getByTestId('tag-write-next').click();
    await expect(page.getByTestId('tag-write-question')).toHaveText('Write 64.5 °C to Test.Setpoint on the plant?');
    await page.getByTestId('tag-write-confirm').click();
    await expect(page.getByTestId('tag-write-result')).toHaveText('Written: 64.5 °C');
    await expect(row.locator('.value')).toHaveText('64.50 °C');

    await page.getByTestId('nav-cel').click();
    await expect(page.locator('[data-testid="cel-row"][data-kind="operator"]', { hasText: 'Test.Setpoint = 64.50 °C written by gina' })).toHaveCount(1);
  });

  test('a recipe is compared with the plant, edited into a new version and downloaded', async ({ page, runtime }) => {
    await page.goto(`${runtime.url}#/recipes`);
    await signInAs(page, runtime.url, 'fast', 'hugo', 'engineer');
    const panel = page.getByTestId('recipe-panel');
    await expect(page.getByTestId('recipe-version')).toContainText('Version 0');
    await expect(page.getByTestId('recipe-version')).toContainText('2 of 2 values differ from the plant');
    const setpoint = panel.locator('[data-testid="recipe-line"][data-tag="Test.Setpoint"]');
    await expect(setpoint.getByTestId('recipe-live')).toHaveText('50 °C');
    await expect(setpoint.getByTestId('recipe-compared')).toHaveText('differs');

    await setpoint.getByTestId('recipe-value').fill('55');
    await page.getByTestId('recipe-save').click();
    await expect(page.getByTestId('recipe-message')).toHaveText('Saved as version 1.');
    await expect(page.getByTestId('recipe-version')).toContainText('Version 1, saved by hugo');

    await page.getByTestId('recipe-download').click();
    await expect(page.getByTestId('recipe-question')).toContainText('Write version 1 of "Batch" to the plant? Test.Setpoint = 55 °C, Test.Speed = 1200 rpm.');
    await page.getByTestId('recipe-confirm').click();
    await expect(page.getByTestId('recipe-message')).toHaveText('Downloaded version 1: 2 values written.');
    await expect(setpoint.getByTestId('recipe-live')).toHaveText('55 °C');
    await expect(page.getByTestId('recipe-version')).toContainText('the plant runs these values');

    await page.getByTestId('nav-cel').click();
    await expect(page.locator('[data-testid="cel-row"][data-kind="operator"]', { hasText: 'Recipe "Batch" (version 1) downloaded by hugo: 2 values written' })).toHaveCount(1);
  });
});
