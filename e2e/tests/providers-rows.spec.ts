// The providers list's rows: selection and the bulk bar, the row menu, double-click.
// Each test seeds its own providers through the API and checks what the server stored.
import { expect, test, unique } from '../fixtures';
import { getProvider, namesOf, seedProviders } from '../fixtures/providers';
import { DataTable } from '../pages/DataTable';
import { TID } from '../../frontend/src/testids';

const SCREENS = 'screens';

test.describe.configure({ mode: 'parallel' });

test.describe('selection and the bulk bar', () => {
  test('one selected row may be edited, two may not; Reset selection hides the bar', async ({ adminPage: page, api }) => {
    const prefix = unique('psel');
    const [a, b] = await seedProviders(api, prefix, [['oidc', false], ['rest', false]]);
    const table = new DataTable(page);
    await page.goto(`/providers?q=${prefix}&sort=name&order=asc`);
    await table.expectRowCount(2);
    await table.rowCheckbox(a.name).check();
    await expect(page.getByTestId(TID.bulkSelectedCount)).toHaveText('Selected: 1');
    await expect(page.getByTestId(TID.bulkEdit)).toBeEnabled();
    await table.rowCheckbox(b.name).check();
    await expect(page.getByTestId(TID.bulkSelectedCount)).toHaveText('Selected: 2');
    await expect(page.getByTestId(TID.bulkEdit)).toBeDisabled();
    await page.screenshot({ path: `${SCREENS}/providers-bulk-bar-en.png`, fullPage: true, animations: 'disabled' });
    await page.getByTestId(TID.bulkResetSelection).click();
    await expect(page.getByTestId(TID.bulkBar)).toHaveCount(0);
  });

  test('Edit in the bulk bar opens the one selected provider', async ({ adminPage: page, api }) => {
    const prefix = unique('pbedit');
    const [c] = await seedProviders(api, prefix, [['oidc_token', false]]);
    const table = new DataTable(page);
    await page.goto(`/providers?q=${prefix}`);
    await table.rowCheckbox(c.name).check();
    await page.getByTestId(TID.bulkEdit).click();
    await expect(page).toHaveURL(new RegExp(`/providers/${c.id}$`));
  });

  test('bulk deactivate, then activate again, with the server agreeing each time', async ({ adminPage: page, api }) => {
    const prefix = unique('pbact');
    const [live] = await seedProviders(api, prefix, [['oidc', true]]);
    const table = new DataTable(page);
    await page.goto(`/providers?q=${prefix}`);
    await table.rowCheckbox(live.name).check();
    await page.getByTestId(TID.providerBulkDeactivate).click();
    await expect(page.getByText('Deactivated: 1', { exact: true })).toBeVisible();
    expect((await getProvider(api, live.id)).active).toBe(false);
    await expect(table.row(live.name)).toContainText('Inactive');
    await page.getByTestId(TID.providerBulkActivate).click();
    await expect(page.getByText('Activated: 1', { exact: true })).toBeVisible();
    expect((await getProvider(api, live.id)).active).toBe(true);
  });

  test('select all, Delete: Cancel keeps everything; Delete removes the inactive ones and reports the active one it refused', async ({ adminPage: page, api }) => {
    const prefix = unique('pbdel');
    const [a, b, c, live] = await seedProviders(api, prefix, [['oidc', false], ['rest', false], ['oidc_token', false], ['oidc', true]]);
    const table = new DataTable(page);
    await page.goto(`/providers?q=${prefix}&sort=name&order=asc`);
    await table.expectRowCount(4);
    await table.selectAllCheckbox().check();
    await expect(page.getByTestId(TID.bulkSelectedCount)).toHaveText('Selected: 4');
    await page.getByTestId(TID.bulkDelete).click();
    const dialog = page.getByTestId(TID.deleteConfirm);
    await expect(dialog).toContainText('Selected objects will be deleted: 4');
    // The users count, as in the form's confirmation (none signed in through these).
    await expect(dialog).toContainText('Users who came through the selected providers: 0.');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await api.get(`/providers?q=${prefix}`)).total).toBe(4);
    await page.getByTestId(TID.bulkDelete).click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    const report = page.getByTestId(TID.bulkDeleteReport);
    await expect(report).toContainText(`${live.name}: An active provider cannot be deleted: deactivate it first.`);
    await expect(page.getByText('Deleted: 3', { exact: true })).toBeVisible();
    await page.screenshot({ path: `${SCREENS}/providers-bulk-delete-report-en.png`, fullPage: true, animations: 'disabled' });
    await table.expectRowCount(1);
    const left = await api.get(`/providers?q=${prefix}`);
    expect(namesOf(left)).toEqual([live.name]);
    const audit = await api.get('/audit?resource_type=provider&action=delete&page_size=50');
    expect(audit.items.map((e: { resource_name: string }) => e.resource_name)).toEqual(expect.arrayContaining([a.name, b.name, c.name]));
  });
});

test.describe('the row menu and double-click', () => {
  test('double-click opens the edit form; Cancel returns to the list with its query', async ({ adminPage: page, api }) => {
    const prefix = unique('pdbl');
    const [idle] = await seedProviders(api, prefix, [['rest', false]]);
    const table = new DataTable(page);
    await page.goto(`/providers?q=${prefix}&sort=name&order=asc`);
    await table.row(idle.name).dblclick();
    await expect(page).toHaveURL(new RegExp(`/providers/${idle.id}$`));
    await expect(page.getByTestId(TID.pageTitle)).toHaveText(`Provider ${idle.name}`);
    await page.getByTestId(TID.formCancel).click();
    await expect(page).toHaveURL(new RegExp(`/providers\\?q=${prefix}`));
  });

  test('for an active provider Delete is disabled with the reason; Edit opens it', async ({ adminPage: page, api }) => {
    const prefix = unique('pmenu');
    const [live] = await seedProviders(api, prefix, [['oidc', true]]);
    const table = new DataTable(page);
    await page.goto(`/providers?q=${prefix}`);
    await table.openRowMenu(live.name);
    const del = page.getByRole('menuitem', { name: 'Delete' });
    await expect(del).toHaveAttribute('aria-disabled', 'true');
    await expect(del).toHaveAttribute('title', 'An active provider cannot be deleted: deactivate it first');
    await page.getByRole('menuitem', { name: 'Edit' }).click();
    await expect(page).toHaveURL(new RegExp(`/providers/${live.id}$`));
  });

  test('the local provider can only be deactivated: Delete says why', async ({ adminPage: page }) => {
    const table = new DataTable(page);
    await page.goto('/providers?type=local');
    await table.expectRowCount(1);
    await expect(table.rows().first()).toContainText('Local (user_permissions)');
    await table.rows().first().getByTestId(TID.rowActions).click();
    await expect(page.getByRole('menuitem', { name: 'Delete' })).toHaveAttribute('title', 'The local provider cannot be deleted, only deactivated');
  });

  test('Delete in the row menu removes an inactive provider after confirmation', async ({ adminPage: page, api }) => {
    const prefix = unique('prdel');
    const [idle, live] = await seedProviders(api, prefix, [['rest', false], ['oidc', true]]);
    const table = new DataTable(page);
    await page.goto(`/providers?q=${prefix}`);
    await table.expectRowCount(2);
    await table.openRowMenu(idle.name);
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    await expect(page.getByTestId(TID.deleteConfirm)).toContainText('Users who came through this provider: 0.');
    await page.getByTestId(TID.deleteConfirm).getByRole('button', { name: 'Delete' }).click();
    await expect(page.getByText('Deleted: 1', { exact: true })).toBeVisible();
    await table.expectRowCount(1);
    await expect(table.row(live.name)).toBeVisible();
    await api.call('GET', `/providers/${idle.id}`, undefined, [404]);
  });
});
