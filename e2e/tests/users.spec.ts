import { expect, test, unique, type Api } from '../fixtures';
import { DataTable } from '../pages/DataTable';
import { TID } from '../../frontend/src/testids';

const LOGIN_COL = 1;

/** seedUsers creates n users named <prefix>-u01…; every third one inactive. */
async function seedUsers(api: Api, prefix: string, n: number): Promise<string[]> {
  const logins: string[] = [];
  for (let i = 1; i <= n; i++) {
    const login = `${prefix}-u${String(i).padStart(2, '0')}`;
    await api.post('/users', { login, email: `${login}@example.test`, display_name: `Seeded ${i}`, active: i % 3 !== 0 });
    logins.push(login);
  }
  return logins;
}

test.describe('the users table', () => {
  test('search, 3-state sort, filters with Clear filters, paging and page size, all kept in the URL', async ({ adminPage: page, api }) => {
    const prefix = unique('tbl');
    const logins = await seedUsers(api, prefix, 25);
    const table = new DataTable(page);

    await page.goto('/users');
    await table.search(prefix);
    await expect(page).toHaveURL(new RegExp(`q=${prefix}`));
    await expect(table.shownRange()).toHaveText('Shown 1–20 of 25');
    await expect(page.getByTestId(TID.tableClearFilters)).toBeVisible();

    // Sort cycle on Login: ascending, descending, then unsorted with no indicator.
    const loginHeader = table.header('Login');
    await loginHeader.click();
    await expect(page).toHaveURL(/sort=login&order=asc/);
    await expect.poll(() => table.columnTexts(LOGIN_COL)).toEqual(logins.slice(0, 20));
    await expect(loginHeader).toHaveAttribute('aria-sort', 'ascending');
    await loginHeader.click();
    await expect(page).toHaveURL(/sort=login&order=desc/);
    await expect.poll(() => table.columnTexts(LOGIN_COL)).toEqual([...logins].reverse().slice(0, 20));
    await expect(loginHeader).toHaveAttribute('aria-sort', 'descending');
    await loginHeader.click();
    await expect(page).not.toHaveURL(/sort=/);
    await expect(loginHeader).not.toHaveAttribute('aria-sort', /ascending|descending/);

    // Sort ascending again for the paging checks.
    await loginHeader.click();
    await expect(page).toHaveURL(/order=asc/);

    // Page size 10: three pages of 10, 10 and 5.
    await table.setPageSize(10);
    await expect(page).toHaveURL(/page_size=10/);
    await expect(table.shownRange()).toHaveText('Shown 1–10 of 25');
    await table.expectRowCount(10);
    await table.pageButton(2).click();
    await expect(page).toHaveURL(/page=2/);
    await expect(table.shownRange()).toHaveText('Shown 11–20 of 25');
    await expect.poll(() => table.columnTexts(LOGIN_COL)).toEqual(logins.slice(10, 20));
    await table.pageButton(3).click();
    await expect(table.shownRange()).toHaveText('Shown 21–25 of 25');
    await table.expectRowCount(5);

    // Reload restores exactly this view.
    await page.reload();
    await expect(table.shownRange()).toHaveText('Shown 21–25 of 25');
    await expect.poll(() => table.columnTexts(LOGIN_COL)).toEqual(logins.slice(20));

    // Filter: inactive only (every third seeded user); the page resets to 1.
    await table.selectFilter('active', 'Inactive');
    await expect(page).toHaveURL(/active=false/);
    await expect(page).not.toHaveURL(/page=3/);
    const inactive = logins.filter((_, i) => (i + 1) % 3 === 0);
    await expect(table.shownRange()).toHaveText(`Shown 1–${inactive.length} of ${inactive.length}`);
    await expect.poll(() => table.columnTexts(LOGIN_COL)).toEqual(inactive);
    await page.screenshot({ path: 'test-results/screens/users-filtered-en.png', fullPage: true });

    // Clear filters resets search and filter, and then disappears.
    await page.getByTestId(TID.tableClearFilters).click();
    await expect(page).not.toHaveURL(/active=|q=/);
    await expect(page.getByTestId(TID.tableClearFilters)).toHaveCount(0);
  });

  test('select all on the page, bulk bar states, and bulk delete with confirmation', async ({ adminPage: page, api }) => {
    const prefix = unique('blk');
    const logins = await seedUsers(api, prefix, 4);
    const table = new DataTable(page);
    await page.goto(`/users?q=${prefix}&sort=login&order=asc`);
    await table.expectRowCount(4);

    // One row: Edit enabled. Two: Edit disabled.
    await table.rowCheckbox(logins[0]).check();
    await expect(page.getByTestId(TID.bulkSelectedCount)).toHaveText('Selected: 1');
    await expect(page.getByTestId(TID.bulkEdit)).toBeEnabled();
    await table.rowCheckbox(logins[1]).check();
    await expect(page.getByTestId(TID.bulkSelectedCount)).toHaveText('Selected: 2');
    await expect(page.getByTestId(TID.bulkEdit)).toBeDisabled();
    await page.getByTestId(TID.bulkResetSelection).click();
    await expect(page.getByTestId(TID.bulkBar)).toHaveCount(0);

    // Select all on the page, Delete, Cancel keeps everything.
    await table.selectAllCheckbox().check();
    await expect(page.getByTestId(TID.bulkSelectedCount)).toHaveText('Selected: 4');
    await page.getByTestId(TID.bulkDelete).click();
    const dialog = page.getByTestId(TID.deleteConfirm);
    await expect(dialog).toContainText('Selected objects will be deleted: 4');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await api.get(`/users?q=${prefix}`)).total).toBe(4);

    await page.getByTestId(TID.bulkDelete).click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect(table.shownRange()).toHaveText('Shown 0 of 0');
    await expect(page.getByTestId(TID.bulkBar)).toHaveCount(0);
    expect((await api.get(`/users?q=${prefix}`)).total).toBe(0);
    const audit = await api.get('/audit?resource_type=user&action=delete&page_size=50');
    expect(audit.items.map((e: { resource_name: string }) => e.resource_name)).toEqual(expect.arrayContaining(logins));
  });

  test('double-click and the row menu open the edit form; the form saves with its version', async ({ adminPage: page, api }) => {
    const prefix = unique('edt');
    const [login] = await seedUsers(api, prefix, 1);
    const table = new DataTable(page);
    await page.goto(`/users?q=${prefix}`);
    await table.row(login).dblclick();
    await expect(page).toHaveURL(/\/users\/[0-9a-f-]{36}/);
    await expect(page.getByTestId(TID.pageTitle)).toContainText(login);
    await page.getByLabel('Display name').fill('Renamed in the browser');
    await page.getByTestId(TID.formSave).click();
    await expect(page.getByText('Changes saved')).toBeVisible();
    const saved = (await api.get(`/users?q=${prefix}`)).items[0];
    expect(saved.display_name).toBe('Renamed in the browser');
    expect(saved.version).toBe(2);

    await page.goto(`/users?q=${prefix}`);
    await table.openRowMenu(login);
    await page.getByTestId(TID.rowActionEdit).click();
    await expect(page).toHaveURL(new RegExp(`/users/${saved.id}`));
    await page.screenshot({ path: 'test-results/screens/user-form-en.png', fullPage: true });
  });
});
