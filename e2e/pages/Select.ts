import type { Locator, Page } from '@playwright/test';

/** chooseOption opens an antd Select (its combobox or wrapper) and picks the option with this text. */
export async function chooseOption(page: Page, select: Locator, option: string | RegExp) {
  await select.click();
  const text = typeof option === 'string' ? new RegExp(`^${option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : option;
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: text }).first().click();
}
