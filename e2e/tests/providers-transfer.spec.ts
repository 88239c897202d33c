// Export of the selected providers and import with a preview before applying (SPEC §4.6).
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test, unique } from '../fixtures';
import { getProvider, namesOf, seedProviders } from '../fixtures/providers';
import { DataTable } from '../pages/DataTable';
import { TID } from '../../frontend/src/testids';

const SCREENS = 'screens';

test.describe.configure({ mode: 'parallel' });

test('export downloads the selection as a dated JSON file', async ({ adminPage: page, api }) => {
  const prefix = unique('pexp');
  const [one, two] = await seedProviders(api, prefix, [['rest', false], ['rest', false]]);
  const table = new DataTable(page);
  await page.goto(`/providers?q=${prefix}&sort=name&order=asc`);
  await table.expectRowCount(2);
  await table.selectAllCheckbox().check();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(TID.providerBulkExport).click()]);
  expect(download.suggestedFilename()).toMatch(/^custos-providers-\d{4}-\d{2}-\d{2}\.json$/);
  const exported = JSON.parse(readFileSync((await download.path())!, 'utf8'));
  expect(exported.map((e: { name: string }) => e.name).sort()).toEqual([one.name, two.name]);
});

test('import previews what it would create and update, changes nothing, then applies', async ({ adminPage: page, api }, testInfo) => {
  const prefix = unique('pimp');
  const [one, two] = await seedProviders(api, prefix, [['rest', false], ['rest', false]]);
  // The file, from the API's export: the first provider under a new name (create), the
  // second with a new URL (update).
  const exported = await api.get(`/providers/export?ids=${one.id},${two.id}`);
  const byName = (n: string) => exported.find((e: { name: string }) => e.name === n);
  byName(two.name).params.external_url = 'https://changed.example.test/auth';
  byName(one.name).name = `${prefix}-imported`;
  const file = testInfo.outputPath('providers.json');
  writeFileSync(file, JSON.stringify(exported));

  await page.goto(`/providers?q=${prefix}`);
  await page.getByTestId(TID.providerImport).click();
  const dialog = page.getByTestId(TID.providerImportDialog);
  await dialog.locator('input[type=file]').setInputFiles(file);
  const preview = dialog.getByTestId(TID.providerImportPreview);
  await expect(preview.locator('tr', { hasText: `${prefix}-imported` })).toContainText('Create');
  await expect(preview.locator('tr', { hasText: two.name })).toContainText('Update');
  await expect(preview.locator('tr', { hasText: two.name })).toContainText('Parameters');
  await expect(dialog).toContainText('Preview: nothing has been changed yet.');
  await page.screenshot({ path: `${SCREENS}/providers-import-preview-en.png`, fullPage: true, animations: 'disabled' });
  expect((await api.get(`/providers?q=${prefix}`)).total).toBe(2);

  await dialog.getByTestId(TID.providerImportApply).click();
  await expect(page.getByText('Imported: 2, refused: 0')).toBeVisible();
  const after = await api.get(`/providers?q=${prefix}&sort=name&order=asc`);
  expect(namesOf(after)).toEqual(expect.arrayContaining([`${prefix}-imported`, one.name, two.name]));
  expect((await getProvider(api, two.id)).params.external_url).toBe('https://changed.example.test/auth');
});
