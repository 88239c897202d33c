// Schema mapping on the provider form (SPEC §4.5): provider attributes, the Attribute
// mapping dialog, the dot marker, Without mapping, and a dry run of sample claims. Each
// test seeds its attributes and provider (with the mapping it starts from) through the API.
import type { Page } from '@playwright/test';
import { expect, test, unique, type Api } from '../fixtures';
import { getProvider, seedProviders, type Mapping } from '../fixtures/providers';
import { openNew, tab } from '../pages/ProviderForm';
import { TID } from '../../frontend/src/testids';

const SCREENS = 'screens';
const ROLES_RULE = { from: 'covid19_test.roles.covid19_fdkc', to: 'operators' };

test.describe.configure({ mode: 'parallel' });

/** seedMapped creates two attributes (dept, region) and an OpenID provider with these mappings. */
async function seedMapped(api: Api, mappings: (dept: string) => Mapping[] = () => []) {
  const prefix = unique('pmap');
  const dept = await api.post('/attributes', { code: `${prefix}_dept`, name: `${prefix} Department`, type: 'string' });
  const region = await api.post('/attributes', { code: `${prefix}_region`, name: `${prefix} Region`, type: 'string' });
  const [p] = await seedProviders(api, prefix, [['oidc', false]], { mappings: mappings(dept.code) });
  return { p, dept, region };
}

/** openMapping opens the provider's Schema mapping tab; row finds a mapping row by its text. */
async function openMapping(page: Page, id: string) {
  await page.goto(`/providers/${id}`);
  await tab(page, 'Schema mapping').click();
  const mapping = page.getByTestId(TID.mappingTable);
  return (text: string) => mapping.locator('tr.ant-table-row').filter({ hasText: text });
}

test('rules need a saved provider', async ({ adminPage: page }) => {
  await openNew(page);
  await tab(page, 'Schema mapping').click();
  await expect(page.getByRole('button', { name: 'Mapping rules for Роль' })).toBeDisabled();
});

test('a provider attribute and the rules of the mapping dialog (add two, delete one) are saved; the dot marks the rules', async ({ adminPage: page, api }) => {
  const { p, dept } = await seedMapped(api);
  const row = await openMapping(page, p.id);
  await expect(row('user_roles')).toContainText('[system code].roles.[role code]');
  await page.getByLabel(`Provider attribute for ${dept.name}`).fill('department');

  await page.getByRole('button', { name: 'Mapping rules for Роль' }).click();
  const dialog = page.getByTestId(TID.mappingDialog);
  await expect(dialog).toContainText('Attribute mapping: Роль');
  await dialog.getByRole('button', { name: 'Add rule' }).click();
  await dialog.getByLabel('Provider value 1').fill(ROLES_RULE.from);
  await dialog.getByLabel('Schema value 1').fill(ROLES_RULE.to);
  await dialog.getByRole('button', { name: 'Add rule' }).click();
  await dialog.getByLabel('Provider value 2').fill('app.roles.viewer');
  await dialog.getByLabel('Schema value 2').fill('auditors');
  await page.screenshot({ path: `${SCREENS}/provider-mapping-dialog-en.png`, fullPage: true, animations: 'disabled' });
  await dialog.getByRole('button', { name: 'Delete rule 2' }).click();
  await expect(dialog.getByLabel('Provider value 2')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await expect(dialog).toBeHidden();
  await expect(row('user_roles').getByTestId(TID.mappingDot)).toBeVisible();
  await expect(row(dept.code).getByTestId(TID.mappingDot)).toHaveCount(0);
  await page.screenshot({ path: `${SCREENS}/provider-mapping-en.png`, fullPage: true, animations: 'disabled' });
  await page.getByTestId(TID.formSave).click();
  await expect(page.getByText('Changes saved', { exact: true })).toBeVisible();
  const saved = await getProvider(api, p.id);
  expect(saved.mappings).toEqual(
    expect.arrayContaining([
      { attribute: 'user_roles', source: '', rules: [ROLES_RULE] },
      { attribute: dept.code, source: 'department', rules: [] },
    ]),
  );
  expect(saved.mappings).toHaveLength(2);
});

const deptAndRoles = (dept: string): Mapping[] => [
  { attribute: 'user_roles', source: '', rules: [ROLES_RULE] },
  { attribute: dept, source: 'department', rules: [] },
];

test('Without mapping shows only attributes with neither a provider attribute nor rules', async ({ adminPage: page, api }) => {
  const { p, dept, region } = await seedMapped(api, deptAndRoles);
  const row = await openMapping(page, p.id);
  await expect(row(dept.code)).toBeVisible();
  const without = page.getByRole('switch', { name: 'Without mapping' });
  await without.click();
  await expect(row(region.code)).toBeVisible();
  await expect(row(dept.code)).toHaveCount(0);
  await expect(row('user_roles')).toHaveCount(0);
  await without.click();
  await expect(row(dept.code)).toBeVisible();
});

test('a dry run passes sample claims through the saved mapping', async ({ adminPage: page, api }) => {
  const { p, dept } = await seedMapped(api, deptAndRoles);
  await openMapping(page, p.id);
  await page.getByTestId(TID.providerDryRun).click();
  const dry = page.getByTestId(TID.providerDryRunDialog);
  await dry.getByRole('textbox', { name: 'Claims (JSON)' }).fill(JSON.stringify({ preferred_username: 'bob', email: 'bob@example.test', department: 'R&D', shoe_size: 44 }));
  await dry.getByTestId(TID.providerDryRunSubmit).click();
  const result = dry.getByTestId(TID.providerDryRunResult);
  await expect(result).toContainText('bob@example.test');
  await expect(result).toContainText(`${dept.code} = R&D`);
  await expect(result).toContainText('shoe_size = 44');
  await page.screenshot({ path: `${SCREENS}/provider-dry-run-claims-en.png`, fullPage: true, animations: 'disabled' });
});

test('deleting the last rule removes the dot and, with no provider attribute, the mapping', async ({ adminPage: page, api }) => {
  const { p, dept } = await seedMapped(api, deptAndRoles);
  const row = await openMapping(page, p.id);
  await expect(row('user_roles').getByTestId(TID.mappingDot)).toBeVisible();
  await page.getByRole('button', { name: 'Mapping rules for Роль' }).click();
  const dialog = page.getByTestId(TID.mappingDialog);
  await dialog.getByRole('button', { name: 'Delete rule 1' }).click();
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await expect(row('user_roles').getByTestId(TID.mappingDot)).toHaveCount(0);
  await page.getByTestId(TID.formSave).click();
  await expect.poll(async () => (await getProvider(api, p.id)).mappings, 'the mappings stored').toEqual([{ attribute: dept.code, source: 'department', rules: [] }]);
});
