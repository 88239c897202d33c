import { expect, type Locator, type Page } from '@playwright/test';
import { chooseOption } from './Select';
import { TID, filterTestId } from '../../frontend/src/testids';

/** DataTable drives the shared list component (SPEC §4.1) of any page. */
export class DataTable {
  readonly root: Locator;

  constructor(private readonly page: Page) {
    this.root = page.getByTestId(TID.dataTable);
  }

  /** body rows of the table (not the header, not antd's measure row). */
  rows(): Locator {
    return this.root.locator('tbody tr.ant-table-row');
  }

  row(text: string): Locator {
    return this.rows().filter({ hasText: text });
  }

  /** texts of one column (1-based among data columns: the checkbox column is skipped). */
  async columnTexts(index: number): Promise<string[]> {
    return this.rows().locator(`td:nth-child(${index + 1})`).allInnerTexts();
  }

  header(name: string | RegExp): Locator {
    return this.root.locator('thead th').filter({ hasText: name });
  }

  async search(text: string) {
    // antd puts the test id on the <input> itself.
    // Enter searches at once instead of after the typing pause, so a slow machine cannot
    // race the debounce against a URL change that is still settling.
    const box = this.page.locator(`input[data-testid="${TID.tableSearch}"]`);
    // The box follows the URL's q after a render; a URL that just changed (Clear filters)
    // would otherwise reset the box after the text is typed. Wait for it to settle first.
    await expect(box).toHaveValue(new URL(this.page.url()).searchParams.get('q') ?? '');
    await box.fill(text);
    await expect(box).toHaveValue(text);
    await box.press('Enter');
  }

  /**
   * selectFilter opens one filter's dropdown and picks an option by its whole text.
   * The dropdown is found through the listbox its input controls, not as "the visible
   * one": the previous filter's dropdown can still be fading out on a slow machine, and a
   * string option matches whole (Playwright's hasText would find "Active" in "Inactive").
   * It waits for the dropdown to close, so the next step does not click through it.
   */
  async selectFilter(key: string, option: string | RegExp) {
    const select = this.page.getByTestId(filterTestId(key));
    await chooseOption(this.page, select, option);
    // The dropdown closes before the next filter opens (a fading one would take its click).
    await expect(select.locator('input[role="combobox"]')).toHaveAttribute('aria-expanded', 'false');
  }

  async setPageSize(size: number) {
    await this.page.getByTestId(TID.tablePageSize).click();
    await this.page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: new RegExp(`^${size}\\b`) }).click();
  }

  shownRange(): Locator {
    return this.page.getByTestId(TID.tableShownRange);
  }

  pageButton(n: number): Locator {
    return this.page.getByTestId(TID.tablePagination).locator(`li.ant-pagination-item-${n}`);
  }

  selectAllCheckbox(): Locator {
    return this.root.locator('thead .ant-table-selection input[type=checkbox]');
  }

  rowCheckbox(text: string): Locator {
    return this.row(text).locator('input[type=checkbox]');
  }

  async openRowMenu(text: string) {
    await this.row(text).getByTestId(TID.rowActions).click();
  }

  async expectRowCount(n: number) {
    await expect(this.rows()).toHaveCount(n);
  }
}
