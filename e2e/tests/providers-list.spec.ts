// The providers list (SPEC §4.1): search, filters, Clear filters, sort and paging, all kept
// in the URL. Each test seeds its own 12 providers through the API and opens the list at
// the URL it starts from.
import { expect, test, unique } from '../fixtures';
import { namesOf, seedListOf12 } from '../fixtures/providers';
import { DataTable } from '../pages/DataTable';
import { TID } from '../../frontend/src/testids';

const NAME_COL = 1;
const SCREENS = 'screens';

test.describe.configure({ mode: 'parallel' });

test('the section comes first in the menu; search puts q in the URL and offers Clear filters', async ({ adminPage: page, api }) => {
  const prefix = unique('plist');
  await seedListOf12(api, prefix);
  const table = new DataTable(page);
  await page.goto('/providers');
  await expect(page.getByTestId(TID.pageTitle)).toHaveText('Providers');
  await expect(page.getByTestId(TID.sideNav).getByRole('link').first()).toHaveText('Providers');
  await expect(page.getByTestId(TID.tableClearFilters)).toHaveCount(0);
  await table.search(prefix);
  await expect(page).toHaveURL(new RegExp(`q=${prefix}`));
  await expect(table.shownRange()).toHaveText('Shown 1–12 of 12');
  await expect(page.getByTestId(TID.tableClearFilters)).toBeVisible();
});

// Every column sorts ascending, descending, then not at all; the order is the server's.
for (const [title, field] of [['Name', 'name'], ['Type', 'type'], ['Activity', 'active']]) {
  test(`${title} sorts ascending, descending, then not at all, in the server's order`, async ({ adminPage: page, api }) => {
    const prefix = unique('psort');
    await seedListOf12(api, prefix);
    const table = new DataTable(page);
    await page.goto(`/providers?q=${prefix}`);
    await expect(table.shownRange()).toHaveText('Shown 1–12 of 12');
    const header = table.header(title);
    await header.click();
    await expect(page).toHaveURL(new RegExp(`sort=${field}&order=asc`));
    await expect(header).toHaveAttribute('aria-sort', 'ascending');
    const asc = await api.get(`/providers?q=${prefix}&sort=${field}&order=asc`);
    await expect.poll(() => table.columnTexts(NAME_COL), `names sorted by ${field} ascending`).toEqual(namesOf(asc));
    await header.click();
    await expect(page).toHaveURL(new RegExp(`sort=${field}&order=desc`));
    await expect(header).toHaveAttribute('aria-sort', 'descending');
    const desc = await api.get(`/providers?q=${prefix}&sort=${field}&order=desc`);
    await expect.poll(() => table.columnTexts(NAME_COL), `names sorted by ${field} descending`).toEqual(namesOf(desc));
    await header.click();
    await expect(page).not.toHaveURL(/sort=/);
    await expect(header).not.toHaveAttribute('aria-sort', /ascending|descending/);
    if (field === 'active') expect(new Set(await table.columnTexts(3))).toEqual(new Set(['Active', 'Inactive']));
  });
}

test('10 per page gives 10 + 2, in the URL; a reload restores the view', async ({ adminPage: page, api }) => {
  const prefix = unique('ppage');
  const seeded = await seedListOf12(api, prefix);
  const table = new DataTable(page);
  await page.goto(`/providers?q=${prefix}&sort=name&order=asc`);
  await expect(table.shownRange()).toHaveText('Shown 1–12 of 12');
  await table.setPageSize(10);
  await expect(page).toHaveURL(/page_size=10/);
  await expect(table.shownRange()).toHaveText('Shown 1–10 of 12');
  await table.pageButton(2).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(table.shownRange()).toHaveText('Shown 11–12 of 12');
  await page.reload();
  await expect.poll(() => table.columnTexts(NAME_COL), 'page 2 after the reload').toEqual(seeded.slice(10).map((p) => p.name));
});

test('the type filter goes back to page 1; the activity filter narrows it further', async ({ adminPage: page, api }) => {
  const prefix = unique('pfilt');
  const seeded = await seedListOf12(api, prefix);
  const table = new DataTable(page);
  await page.goto(`/providers?q=${prefix}&sort=name&order=asc&page=2&page_size=10`);
  await expect(table.shownRange()).toHaveText('Shown 11–12 of 12');

  // External REST only (p01, p04, p07, p10), back to page 1.
  await table.selectFilter('type', /^External REST$/);
  await expect(page).toHaveURL(/type=rest/);
  await expect(page).not.toHaveURL(/page=2/);
  const rest = seeded.filter((p) => p.type === 'rest').map((p) => p.name);
  await expect.poll(() => table.columnTexts(NAME_COL), 'the REST providers').toEqual(rest);
  expect(new Set(await table.columnTexts(2))).toEqual(new Set(['External REST']));
  // Activity on top: inactive REST providers only.
  await table.selectFilter('active', 'Inactive');
  await expect(page).toHaveURL(/active=false/);
  const inactiveRest = await api.get(`/providers?q=${prefix}&type=rest&active=false&sort=name&order=asc`);
  expect(inactiveRest.total).toBe(3);
  await expect.poll(() => table.columnTexts(NAME_COL), 'the inactive REST providers').toEqual(namesOf(inactiveRest));
  await page.screenshot({ path: `${SCREENS}/providers-list-filtered-en.png`, fullPage: true, animations: 'disabled' });
});

test('"All types" lifts one filter and the other stays', async ({ adminPage: page, api }) => {
  const prefix = unique('pall');
  await seedListOf12(api, prefix);
  const table = new DataTable(page);
  await page.goto(`/providers?q=${prefix}&type=rest&active=false`);
  await expect(table.shownRange()).toHaveText('Shown 1–3 of 3');
  await table.selectFilter('type', 'All types');
  await expect(page).not.toHaveURL(/type=/);
  await expect(table.shownRange()).toHaveText('Shown 1–9 of 9');
  await table.selectFilter('active', 'Active');
  await expect(table.shownRange()).toHaveText('Shown 1–3 of 3');
});

test('Clear filters resets the filters and the search, then disappears', async ({ adminPage: page, api }) => {
  const prefix = unique('pclr');
  await seedListOf12(api, prefix);
  const table = new DataTable(page);
  await page.goto(`/providers?q=${prefix}&type=rest&active=true`);
  await expect(table.shownRange()).toHaveText('Shown 1–1 of 1');
  await page.getByTestId(TID.tableClearFilters).click();
  await expect(page).not.toHaveURL(/active=|q=|type=/);
  await expect(page.getByTestId(TID.tableClearFilters)).toHaveCount(0);
  await expect(page.locator(`input[data-testid="${TID.tableSearch}"]`)).toHaveValue('');
  await page.screenshot({ path: `${SCREENS}/providers-list-en.png`, fullPage: true, animations: 'disabled' });
});
