// The users table (SPEC §4.1 on users): search, sort, paging and filters kept in the URL,
// selection and bulk delete, and the way to the edit form. Each test seeds its own users
// through the API and opens the table at the URL it starts from.
import { expect, test, unique } from '../fixtures';
import { seedUsers } from '../fixtures/users';
import { DataTable } from '../pages/DataTable';
import { TID } from '../../frontend/src/testids';

const LOGIN_COL = 1;

test.describe.configure({ mode: 'parallel' });

test.describe('the users table', () => {
  test('search puts q in the URL, pages by 20 and offers Clear filters', async ({ adminPage: page, api }) => {
    const prefix = unique('tbl');
    await seedUsers(api, prefix, 25);
    const table = new DataTable(page);
    await page.goto('/users');
    await table.search(prefix);
    await expect(page).toHaveURL(new RegExp(`q=${prefix}`));
    await expect(table.shownRange()).toHaveText('Shown 1–20 of 25');
    await expect(page.getByTestId(TID.tableClearFilters)).toBeVisible();
  });

  test('Login sorts ascending, descending, then unsorted with no indicator', async ({ adminPage: page, api }) => {
    const prefix = unique('srt');
    const logins = await seedUsers(api, prefix, 25);
    const table = new DataTable(page);
    await page.goto(`/users?q=${prefix}`);
    await expect(table.shownRange()).toHaveText('Shown 1–20 of 25');
    const loginHeader = table.header('Login');
    await loginHeader.click();
    await expect(page).toHaveURL(/sort=login&order=asc/);
    await expect.poll(() => table.columnTexts(LOGIN_COL), 'logins ascending').toEqual(logins.slice(0, 20));
    await expect(loginHeader).toHaveAttribute('aria-sort', 'ascending');
    await loginHeader.click();
    await expect(page).toHaveURL(/sort=login&order=desc/);
    await expect.poll(() => table.columnTexts(LOGIN_COL), 'logins descending').toEqual([...logins].reverse().slice(0, 20));
    await expect(loginHeader).toHaveAttribute('aria-sort', 'descending');
    await loginHeader.click();
    await expect(page).not.toHaveURL(/sort=/);
    await expect(loginHeader).not.toHaveAttribute('aria-sort', /ascending|descending/);
  });

  test('page size 10 gives pages of 10, 10 and 5, in the URL; a reload restores the view', async ({ adminPage: page, api }) => {
    const prefix = unique('pgs');
    const logins = await seedUsers(api, prefix, 25);
    const table = new DataTable(page);
    await page.goto(`/users?q=${prefix}&sort=login&order=asc`);
    await expect(table.shownRange()).toHaveText('Shown 1–20 of 25');
    await table.setPageSize(10);
    await expect(page).toHaveURL(/page_size=10/);
    await expect(table.shownRange()).toHaveText('Shown 1–10 of 25');
    await table.expectRowCount(10);
    await table.pageButton(2).click();
    await expect(page).toHaveURL(/page=2/);
    await expect(table.shownRange()).toHaveText('Shown 11–20 of 25');
    await expect.poll(() => table.columnTexts(LOGIN_COL), 'page 2').toEqual(logins.slice(10, 20));
    await table.pageButton(3).click();
    await expect(table.shownRange()).toHaveText('Shown 21–25 of 25');
    await table.expectRowCount(5);

    await page.reload();
    await expect(table.shownRange()).toHaveText('Shown 21–25 of 25');
    await expect.poll(() => table.columnTexts(LOGIN_COL), 'page 3 after the reload').toEqual(logins.slice(20));
  });

  test('the inactive filter shows every third user and goes back to page 1', async ({ adminPage: page, api }) => {
    const prefix = unique('flt');
    const logins = await seedUsers(api, prefix, 25);
    const table = new DataTable(page);
    await page.goto(`/users?q=${prefix}&sort=login&order=asc&page=3&page_size=10`);
    await expect(table.shownRange()).toHaveText('Shown 21–25 of 25');
    await table.selectFilter('active', 'Inactive');
    await expect(page).toHaveURL(/active=false/);
    await expect(page).not.toHaveURL(/page=3/);
    const inactive = logins.filter((_, i) => (i + 1) % 3 === 0);
    await expect(table.shownRange()).toHaveText(`Shown 1–${inactive.length} of ${inactive.length}`);
    await expect.poll(() => table.columnTexts(LOGIN_COL), 'the inactive users').toEqual(inactive);
    await page.screenshot({ path: 'screens/users-filtered-en.png', fullPage: true });
  });

  test('Clear filters resets search and filter, and then disappears', async ({ adminPage: page, api }) => {
    const prefix = unique('clr');
    await seedUsers(api, prefix, 3);
    const table = new DataTable(page);
    await page.goto(`/users?q=${prefix}&active=false`);
    await expect(table.shownRange()).toHaveText('Shown 1–1 of 1');
    await page.getByTestId(TID.tableClearFilters).click();
    await expect(page).not.toHaveURL(/active=|q=/);
    await expect(page.getByTestId(TID.tableClearFilters)).toHaveCount(0);
  });

  test('one selected row may be edited, two may not; Reset selection hides the bar', async ({ adminPage: page, api }) => {
    const prefix = unique('sel');
    const logins = await seedUsers(api, prefix, 2);
    const table = new DataTable(page);
    await page.goto(`/users?q=${prefix}&sort=login&order=asc`);
    await table.expectRowCount(2);
    await table.rowCheckbox(logins[0]).check();
    await expect(page.getByTestId(TID.bulkSelectedCount)).toHaveText('Selected: 1');
    await expect(page.getByTestId(TID.bulkEdit)).toBeEnabled();
    await table.rowCheckbox(logins[1]).check();
    await expect(page.getByTestId(TID.bulkSelectedCount)).toHaveText('Selected: 2');
    await expect(page.getByTestId(TID.bulkEdit)).toBeDisabled();
    await page.getByTestId(TID.bulkResetSelection).click();
    await expect(page.getByTestId(TID.bulkBar)).toHaveCount(0);
  });

  test('select all on the page, Delete: Cancel keeps everything, Delete removes them and audits it', async ({ adminPage: page, api }) => {
    const prefix = unique('blk');
    const logins = await seedUsers(api, prefix, 4);
    const table = new DataTable(page);
    await page.goto(`/users?q=${prefix}&sort=login&order=asc`);
    await table.expectRowCount(4);
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

  test('double-click opens the edit form, which saves with its version', async ({ adminPage: page, api }) => {
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
  });

  test('Edit in the row menu opens the edit form', async ({ adminPage: page, api }) => {
    const prefix = unique('rme');
    const [login] = await seedUsers(api, prefix, 1);
    const { items: [user] } = await api.get(`/users?q=${prefix}`);
    const table = new DataTable(page);
    await page.goto(`/users?q=${prefix}`);
    await table.openRowMenu(login);
    await page.getByTestId(TID.rowActionEdit).click();
    await expect(page).toHaveURL(new RegExp(`/users/${user.id}`));
    await expect(page.getByTestId(TID.pageTitle)).toContainText(login);
    await page.screenshot({ path: 'screens/user-form-en.png', fullPage: true });
  });
});
