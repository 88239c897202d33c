import type { Locator, Page } from '@playwright/test';

/**
 * chooseOption opens an antd Select (its combobox or wrapper) and picks the option with this
 * text. `search` is typed first into a searchable select: antd renders only the options in
 * view (a virtual list), so in a long list — the groups, which every run adds to — an option
 * further down is not in the page until the list is narrowed to it.
 */
export async function chooseOption(page: Page, select: Locator, option: string | RegExp, search?: string) {
  await select.click();
  if (search) await page.keyboard.type(search);
  const text = typeof option === 'string' ? new RegExp(`^${option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : option;
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: text }).first().click();
}
