import { expect, type Locator, type Page } from '@playwright/test';

/**
 * chooseOption opens an antd Select (its combobox or wrapper) and picks the option with this
 * text (a string is the whole text). The option is looked for in this select's own dropdown
 * (the listbox its combobox `aria-controls`): the dropdown of a select chosen a moment before
 * may still be fading out with the same options. `search` is typed first into a searchable
 * select: antd renders only the options in view (a virtual list), so in a long list — the
 * groups, which every run adds to — an option further down is not in the page until the
 * list is narrowed to it.
 */
export async function chooseOption(page: Page, select: Locator, option: string | RegExp, search?: string) {
  const isInput = await select.evaluate((el) => el.matches('input'));
  const input = isInput ? select : select.locator('input[role="combobox"]').first();
  await select.click();
  await expect(input).toHaveAttribute('aria-expanded', 'true');
  if (search) await page.keyboard.type(search);
  const listId = await input.getAttribute('aria-controls');
  const dropdown = listId
    ? page.locator('.ant-select-dropdown').filter({ has: page.locator(`[id="${listId}"]`) })
    : page.locator('.ant-select-dropdown:visible');
  const text = typeof option === 'string' ? new RegExp(`^\\s*${option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) : option;
  await dropdown.locator('.ant-select-item-option').filter({ hasText: text }).first().click();
}
