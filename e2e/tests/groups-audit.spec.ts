import { expect, test, unique } from '../fixtures';
import { DataTable } from '../pages/DataTable';
import { TID } from '../../frontend/src/testids';

// The tests are independent: they spread over both workers.
test.describe.configure({ mode: 'parallel' });

test('creating a group with permissions: stored as chosen, and its change log shows the creation', async ({ adminPage: page, api }) => {
  const code = unique('grp');
  await page.goto('/groups');
  await page.getByTestId(TID.tableAdd).click();
  await expect(page).toHaveURL(/\/groups\/new/);
  await page.getByRole('textbox', { name: 'Code' }).fill(code);
  await page.getByRole('textbox', { name: 'Name' }).fill('Help desk');
  const perms = page.getByTestId(TID.groupPermissions);
  await perms.getByRole('checkbox', { name: /users\.read/ }).check();
  await perms.getByRole('checkbox', { name: /audit\.read/ }).check();
  await page.screenshot({ path: 'screens/group-form-en.png', fullPage: true });
  await page.getByTestId(TID.formSave).click();

  // Save on create opens the edit form of the new group.
  await expect(page).toHaveURL(/\/groups\/[0-9a-f-]{36}/);
  const id = page.url().split('/').pop()!;
  const group = await api.get(`/groups/${id}`);
  expect(group.code).toBe(code);
  expect(group.permissions.sort()).toEqual(['audit.read', 'users.read']);

  // The History tab of the form shows the creation.
  await page.getByRole('tab', { name: 'Settings change log' }).click();
  await expect(page.getByTestId(TID.historyTable)).toContainText('Created');
});

test('the audit log, filtered to groups and creations, lists a new group with its diff', async ({ adminPage: page, api }) => {
  const code = unique('grpa');
  const { id } = await api.post('/groups', { code, name: 'Help desk', permissions: ['users.read', 'audit.read'] });
  await page.goto('/audit');
  const table = new DataTable(page);
  await table.selectFilter('resource_type', 'Group');
  await table.selectFilter('action', 'Created');
  await expect(page).toHaveURL(/resource_type=group/);
  const row = table.row(code);
  await expect(row).toBeVisible();
  await expect(row).toContainText('tech_admin');
  await row.locator('.ant-table-row-expand-icon').click();
  const diff = page.getByTestId(TID.auditDiff).first();
  await expect(diff).toContainText('users.read');
  await page.screenshot({ path: 'screens/audit-en.png', fullPage: true });

  const events = await api.get(`/audit?resource_type=group&resource_id=${id}`);
  expect(events.items).toHaveLength(1);
  expect(events.items[0].action).toBe('create');
  expect(events.items[0].actor_name).toBe('tech_admin');
});

test('a system group cannot be deleted from its form, and the API says why', async ({ adminPage: page, api }) => {
  const list = await api.get('/groups?q=auditors');
  const auditors = list.items.find((g: { code: string }) => g.code === 'auditors');
  await page.goto(`/groups/${auditors.id}`);
  await expect(page.getByTestId(TID.groupSystemNotice)).toBeVisible();
  await expect(page.getByTestId(TID.formDelete)).toBeDisabled();
  const res = await api.call('DELETE', `/groups/${auditors.id}`, undefined, [409, 422, 400, 403]);
  expect(res.code).toMatch(/^group\./);
});

test('Russian smoke pass over groups and audit', async ({ adminPage: page }) => {
  await page.goto('/groups');
  await page.getByTestId(TID.languageSwitch).getByText('Русский').click();
  await expect(page.getByTestId(TID.pageTitle)).toHaveText('Группы');
  await expect(page.getByTestId(TID.tableAdd)).toHaveText(/Добавить/);
  await page.screenshot({ path: 'screens/groups-ru.png', fullPage: true });
  await page.goto('/audit');
  await expect(page.getByTestId(TID.pageTitle)).toHaveText('Журнал аудита');
  await page.screenshot({ path: 'screens/audit-ru.png', fullPage: true });
  await page.goto('/users');
  await expect(page.getByTestId(TID.pageTitle)).toHaveText('Пользователи');
  await page.screenshot({ path: 'screens/users-ru.png', fullPage: true });
});
