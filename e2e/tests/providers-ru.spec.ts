// The Providers section in Russian: the list, the bulk bar, every tab of the form and its
// dialogs speak the seed's terms. Each test seeds an LDAP provider on the suite's slapd.
import type { Page } from '@playwright/test';
import { expect, test, unique, type Api } from '../fixtures';
import { getProvider, ldapEnv, type Provider } from '../fixtures/providers';
import { DataTable } from '../pages/DataTable';
import { tab } from '../pages/ProviderForm';
import { TID } from '../../frontend/src/testids';

const SCREENS = 'screens';

test.describe.configure({ mode: 'parallel' });

/** seedLdap creates an inactive LDAP provider on slapd with one role rule. */
async function seedLdap(api: Api): Promise<Provider> {
  const ldap = ldapEnv();
  return api.post<Provider>('/providers', {
    name: `${unique('pru')}-p01`, type: 'ldap', active: false,
    params: { host: ldap.host, port: Number(ldap.port), server_type: 'openldap', base_dn: ldap.baseDn },
    mappings: [{ attribute: 'user_roles', source: 'memberOf', rules: [{ from: 'cn=admins', to: 'administrators' }] }],
  });
}

/** openInRussian opens the provider's form and switches the UI to Russian. */
async function openInRussian(page: Page, p: Provider) {
  await page.goto(`/providers/${p.id}`);
  await page.getByTestId(TID.languageSwitch).getByText('Русский').click();
  await expect(page.getByTestId(TID.pageTitle)).toHaveText(`Провайдер ${p.name}`);
}

test('the list and the bulk bar', async ({ adminPage: page, api }) => {
  const p = await seedLdap(api);
  const table = new DataTable(page);
  await page.goto('/providers');
  await page.getByTestId(TID.languageSwitch).getByText('Русский').click();
  await expect(page.getByTestId(TID.pageTitle)).toHaveText('Провайдеры');
  await expect(page.getByTestId(TID.sideNav).getByRole('link').first()).toHaveText('Провайдеры');
  await expect(page.getByTestId(TID.tableAdd)).toHaveText(/Добавить/);
  await expect(page.getByTestId('filter-type')).toContainText('Все типы');
  await expect(page.getByTestId('filter-active')).toContainText('Все активности');
  await expect(table.header('Наименование')).toBeVisible();
  await expect(table.header('Тип')).toBeVisible();
  await expect(table.header('Активность')).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/providers-list-ru.png`, fullPage: true, animations: 'disabled' });
  await table.search(p.name);
  await expect(page.getByTestId(TID.tableClearFilters)).toHaveText('Очистить фильтры');
  await expect(table.row(p.name)).toContainText('Неактивен');
  await table.rowCheckbox(p.name).check();
  await expect(page.getByTestId(TID.bulkSelectedCount)).toHaveText('Выделено: 1');
  await expect(page.getByTestId(TID.bulkResetSelection)).toHaveText('Сбросить выбранные');
  await expect(page.getByTestId(TID.bulkEdit)).toHaveText('Редактировать');
  await page.screenshot({ path: `${SCREENS}/providers-bulk-bar-ru.png`, fullPage: true, animations: 'disabled' });
  await table.row(p.name).dblclick();
  await expect(page.getByTestId(TID.pageTitle)).toHaveText(`Провайдер ${p.name}`);
});

test('the Main, Parameters and Schema mapping tabs and the mapping dialog', async ({ adminPage: page, api }) => {
  const ldap = ldapEnv();
  const p = await seedLdap(api);
  await openInRussian(page, p);
  await expect(page.getByText('Тип нельзя изменить после создания.')).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/provider-main-ru.png`, fullPage: true, animations: 'disabled' });
  await tab(page, 'Параметры').click();
  await expect(page.getByLabel('Имя хоста')).toHaveValue(ldap.host);
  await expect(page.getByLabel('Атрибут с именем пользователя')).toHaveValue('uid');
  await page.screenshot({ path: `${SCREENS}/provider-params-ru.png`, fullPage: true, animations: 'disabled' });
  await tab(page, 'Маппинг схемы').click();
  await expect(page.getByText('Без соответствия')).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/provider-mapping-ru.png`, fullPage: true, animations: 'disabled' });
  await page.getByRole('button', { name: 'Правила маппинга для Роль' }).click();
  const dialog = page.getByTestId(TID.mappingDialog);
  await expect(dialog).toContainText('Маппинг атрибутов: Роль');
  await expect(dialog.getByRole('button', { name: 'Добавить правило' })).toBeVisible();
  await expect(dialog).toContainText('Провайдер');
  await expect(dialog).toContainText('Схема');
  await page.screenshot({ path: `${SCREENS}/provider-mapping-dialog-ru.png`, fullPage: true, animations: 'disabled' });
  await dialog.getByRole('button', { name: 'Отмена' }).click();
  await expect(dialog).toBeHidden();
});

test('the connection test dialog', async ({ adminPage: page, api }) => {
  const p = await seedLdap(api);
  await openInRussian(page, p);
  await page.getByTestId(TID.providerTest).click();
  const test = page.getByTestId(TID.providerTestDialog);
  await expect(test.getByTestId(TID.providerTestResult)).toHaveText('Подключение работает');
  await expect(test).toContainText('Привязка (bind)');
  await expect(test).toContainText('Проверяются сохранённые настройки.');
  await page.screenshot({ path: `${SCREENS}/provider-test-ru.png`, fullPage: true, animations: 'disabled' });
  await test.locator('.ant-modal-footer').getByRole('button', { name: 'Закрыть' }).click();
  await expect(test).toBeHidden();
});

test('saving, and the change log', async ({ adminPage: page, api }) => {
  const p = await seedLdap(api);
  await openInRussian(page, p);
  await page.getByLabel('Наименование').fill(`${p.name}-ру`);
  await page.getByTestId(TID.formSave).click();
  await expect(page.getByText('Изменения сохранены')).toBeVisible();
  await tab(page, 'Журнал изменений настроек').click();
  await expect(page.getByTestId(TID.historyTable)).toContainText('Создание');
  await page.screenshot({ path: `${SCREENS}/provider-history-ru.png`, fullPage: true, animations: 'disabled' });
  expect((await getProvider(api, p.id)).name).toBe(`${p.name}-ру`);
});
