import { expect, type Page } from '@playwright/test';
import { TID } from '../../frontend/src/testids';
import { chooseOption } from './Select';

export const UUID_URL = /\/providers\/[0-9a-f-]{36}$/;

/** tab is one tab of the provider form by its exact name. */
export const tab = (page: Page, name: string) => page.getByRole('tab', { name, exact: true });

/** openNew opens the new-provider form (the list's Add button leads there), with this type chosen. */
export async function openNew(page: Page, type?: string) {
  await page.goto('/providers/new');
  await expect(page.getByTestId(TID.pageTitle)).toHaveText('New provider');
  if (type) await chooseOption(page, page.getByTestId(TID.providerTypeSelect), type);
}

/** saveAndOpen saves a new provider and returns its id from the edit form it opens. */
export async function saveAndOpen(page: Page): Promise<string> {
  await page.getByTestId(TID.formSave).click();
  await expect(page).toHaveURL(UUID_URL);
  await expect(page.getByText('Created', { exact: true })).toBeVisible();
  return page.url().split('/').pop()!;
}
