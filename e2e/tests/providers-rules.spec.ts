// The provider form's rules (SPEC §4.4) as the UI explains them: client validation, a
// server error on its field, one active provider of a type, a stale version, the change
// log, and Delete. Each test seeds what it edits through the API.
import { expect, test, unique } from '../fixtures';
import { getProvider, namesOf, seedProviders } from '../fixtures/providers';
import { openNew, tab } from '../pages/ProviderForm';
import { TID } from '../../frontend/src/testids';

const SCREENS = 'screens';

test.describe.configure({ mode: 'parallel' });

test.describe('validation', () => {
  test('an empty form is refused by the client with Required field', async ({ adminPage: page }) => {
    await openNew(page, 'LDAP');
    await page.getByTestId(TID.formSave).click();
    await expect(page.locator('.ant-form-item-explain-error').first()).toHaveText('Required field');
  });

  test('a filter the client accepts but RFC 4515 does not: the server\'s error lands on the field, on its tab', async ({ adminPage: page, api }) => {
    const prefix = unique('pval');
    await openNew(page, 'LDAP');
    await page.getByLabel('Name', { exact: true }).fill(`${prefix}-ldap`);
    await tab(page, 'Parameters').click();
    await page.getByLabel('Host name').fill('ldap.example.test');
    await page.getByLabel('Base domain').fill('dc=example,dc=test');
    await page.getByLabel('LDAP filter').fill('(cn=a)(sn=b)');
    await tab(page, 'Main').click();
    await page.getByTestId(TID.formSave).click();
    await expect(tab(page, 'Parameters')).toHaveAttribute('aria-selected', 'true');
    const filterItem = page.locator('.ant-form-item').filter({ has: page.getByLabel('LDAP filter') });
    await expect(filterItem.locator('.ant-form-item-explain-error')).toHaveText('Not a valid LDAP filter (RFC 4515), e.g. (objectClass=person)');
    await page.screenshot({ path: `${SCREENS}/provider-server-error-en.png`, fullPage: true, animations: 'disabled' });
    expect((await api.get(`/providers?q=${prefix}`)).total).toBe(0);
  });

  test('only one active OpenID Cookie provider: a second is refused, explained on Active', async ({ adminPage: page, api }) => {
    const prefix = unique('pone');
    const [active] = await seedProviders(api, prefix, [['oidc_cookie', true]]);
    try {
      await openNew(page, 'OpenID Cookie');
      await expect(page.getByText('Only one provider of this type may be active at a time.')).toBeVisible();
      await page.getByLabel('Name', { exact: true }).fill(`${prefix}-cookie2`);
      await page.getByRole('switch', { name: 'Active' }).click();
      await tab(page, 'Parameters').click();
      await page.getByLabel('IA identifier').fill('cookie');
      await page.getByLabel('Access secret key').fill('cookie-secret');
      await page.getByLabel('External URL').fill('https://cookie.example.test');
      await page.getByTestId(TID.formSave).click();
      await expect(tab(page, 'Main')).toHaveAttribute('aria-selected', 'true');
      const activeItem = page.locator('.ant-form-item').filter({ has: page.getByRole('switch', { name: 'Active' }) });
      await expect(activeItem.locator('.ant-form-item-explain-error')).toHaveText('Another provider of this type is active; only one may be');
      const cookies = await api.get('/providers?type=oidc_cookie&active=true');
      expect(namesOf(cookies)).toEqual([active.name]);
    } finally {
      await api.setProviderActive(active.id, false);
    }
  });
});

test.describe('versions, the change log and Delete', () => {
  test('a stale version is a conflict offering the current state', async ({ adminPage: page, api }) => {
    const [p] = await seedProviders(api, unique('pver'), [['rest', false]]);
    await page.goto(`/providers/${p.id}`);
    await expect(page.getByLabel('Name', { exact: true })).toHaveValue(p.name);
    await api.patch(`/providers/${p.id}`, { version: 1, name: `${p.name}-renamed` });
    await page.getByLabel('Name', { exact: true }).fill(`${p.name}-mine`);
    await page.getByTestId(TID.formSave).click();
    await expect(page.getByTestId(TID.versionConflict)).toBeVisible();
    await page.getByTestId(TID.versionConflictReload).click();
    await expect(page.getByLabel('Name', { exact: true })).toHaveValue(`${p.name}-renamed`);
    expect((await getProvider(api, p.id)).name).toBe(`${p.name}-renamed`);
  });

  test('the change log lists the creation and the update; Delete is not on it', async ({ adminPage: page, api }) => {
    const [p] = await seedProviders(api, unique('phist'), [['rest', false]]);
    await api.patch(`/providers/${p.id}`, { version: 1, name: `${p.name}-renamed` });
    await page.goto(`/providers/${p.id}`);
    await expect(page.getByLabel('Name', { exact: true })).toHaveValue(`${p.name}-renamed`);
    await tab(page, 'Settings change log').click();
    await expect(page.getByTestId(TID.historyTable)).toContainText('Updated');
    await expect(page.getByTestId(TID.historyTable)).toContainText('Created');
    await page.screenshot({ path: `${SCREENS}/provider-history-en.png`, fullPage: true, animations: 'disabled' });
    await expect(page.getByTestId(TID.formDelete)).toHaveCount(0);
  });

  test('Delete on Main is disabled for an active provider', async ({ adminPage: page, api }) => {
    const prefix = unique('plive');
    const [live] = await seedProviders(api, prefix, [['rest', true]]);
    await page.goto(`/providers/${live.id}`);
    await expect(page.getByLabel('Name', { exact: true })).toHaveValue(live.name);
    await expect(page.getByTestId(TID.formDelete)).toBeDisabled();
  });

  test('Delete on Main confirms with the users count and removes the provider', async ({ adminPage: page, api }) => {
    const [p] = await seedProviders(api, unique('pfdel'), [['rest', false]]);
    await page.goto(`/providers/${p.id}`);
    await expect(tab(page, 'Main')).toHaveAttribute('aria-selected', 'true');
    await page.getByTestId(TID.formDelete).click();
    const confirm = page.getByTestId(TID.providerDeleteConfirm);
    await expect(confirm).toContainText('Users who came through this provider: 0');
    await page.screenshot({ path: `${SCREENS}/provider-delete-confirm-en.png`, fullPage: true, animations: 'disabled' });
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await expect(page).toHaveURL(/\/providers$/);
    await api.call('GET', `/providers/${p.id}`, undefined, [404]);
  });
});
