// Accessibility (issue 11, item 7): axe-core's WCAG 2.1 A and AA rules on every page and
// dialog of the SPA, in English and in Russian. Each test seeds what its page shows through
// the API, opens one page, brings it into the states worth reading (tabs, a selection, a
// dialog) and scans each; a failure names every broken rule with its help text and the
// selectors of the offending nodes.
import type { Page } from '@playwright/test';
import { en, type Resources } from '../../frontend/src/i18n/en';
import { ru } from '../../frontend/src/i18n/ru';
import { TID } from '../../frontend/src/testids';
import { Api, expect, ldapParams, test, unique } from '../fixtures';
import { expectAccessible } from '../fixtures/a11y';
import type { Provider } from '../fixtures/providers';
import { seedUsers } from '../fixtures/users';
import { DataTable } from '../pages/DataTable';
import { tab } from '../pages/ProviderForm';
import { chooseOption } from '../pages/Select';

// A dialog is scanned alone: the page behind it is scanned in its own state.
const DIALOGS = '.ant-modal-wrap';
const LANGUAGES: Record<'en' | 'ru', Resources> = { en, ru };
const REST = { external_url: 'https://rest.example.test/auth' };
const PASSWORD = 'Birch-lake-71';
// The systems page's strings live in its own i18n section (loaded with its chunk).
const ADD_WEBHOOK_RU = 'Добавить вебхук';
const PROVIDER_TYPES = ['local', 'oidc', 'oidc_token', 'oidc_cookie', 'ldap', 'ldap_kerberos', 'rest'] as const;

test.describe.configure({ mode: 'parallel' });

/** open goes to a page of the SPA and waits for its title. */
async function open(page: Page, url: string, title: string | RegExp) {
  await page.goto(url);
  await expect(page.getByTestId(TID.pageTitle)).toHaveText(title);
}

/** dialog is an antd Modal by the test id on its wrapper, once it has opened. */
async function dialog(page: Page, testId: string) {
  const d = page.getByTestId(testId);
  await expect(d.locator('.ant-modal')).toBeVisible();
  return d;
}

/** closeDialog closes a dialog with a button of its footer. */
async function closeDialog(page: Page, testId: string, button: string) {
  const d = page.getByTestId(testId);
  await d.locator('.ant-modal-footer').getByRole('button', { name: button, exact: true }).click();
  await expect(d.locator('.ant-modal')).toBeHidden();
}

/** seedLdap creates an inactive LDAP provider on the suite's slapd with one role rule. */
function seedLdap(api: Api, name: string): Promise<Provider> {
  return api.post<Provider>('/providers', {
    name, type: 'ldap', active: false, params: ldapParams(),
    mappings: [{ attribute: 'user_roles', source: 'memberOf', rules: [{ from: 'cn=admins', to: 'administrators' }] }],
  });
}

/** seedUser creates a user with a unique login (an auditor unless groups are given). */
async function seedUser(api: Api, over: Record<string, unknown> = {}): Promise<{ id: string; login: string }> {
  const login = unique('a11y.user').toLowerCase();
  return api.post('/users', { login, email: `${login}@example.test`, group_ids: [await api.groupId('auditors')], ...over });
}

/** seedTokens creates a live and a revoked access token named <prefix>-live and -old. */
async function seedTokens(api: Api): Promise<string> {
  const prefix = unique('a11yt');
  await api.post('/tokens', { name: `${prefix}-live`, scopes: ['users.read', 'audit.read', 'providers.read', 'users.write'] });
  const old = await api.post('/tokens', { name: `${prefix}-old`, scopes: ['users.read'] });
  await api.post(`/tokens/${old.id}/revoke`);
  return prefix;
}

/** userRoles is the system attribute every provider maps roles onto. */
async function userRoles(api: Api): Promise<{ id: string; name: string }> {
  const list = await api.get('/attributes?q=user_roles');
  return list.items.find((a: { code: string }) => a.code === 'user_roles');
}

// The device pages' strings live in their own i18n sections (loaded with their chunks).
const DEVICE_TITLES = {
  en: { types: 'Device types', newType: 'New device type', templates: 'Certificate templates', newTemplate: 'New certificate template',
    policies: 'Usage policies', newPolicy: 'New usage policy', issuances: 'Issuances', devices: 'Devices', register: 'SKZI register',
    smtp: 'Mail (SMTP)', selfService: 'Self-service' },
  ru: { types: 'Типы устройств', newType: 'Новый тип устройства', templates: 'Шаблоны сертификатов', newTemplate: 'Новый шаблон сертификата',
    policies: 'Политики использования', newPolicy: 'Новая политика использования устройств', issuances: 'Запросы на выпуск',
    devices: 'Устройства', register: 'Журнал учёта СКЗИ', smtp: 'Почта (SMTP)', selfService: 'Сервис самообслуживания' },
};

/** seedCatalogue makes a group with a device type, a certificate template and a usage policy (approval, no SKZI). */
async function seedCatalogue(api: Api, policy: Record<string, unknown> = {}) {
  const code = unique('a11ydev').toLowerCase();
  const group = await api.post('/groups', { code, name: `Device holders ${code}`, permissions: [] });
  const type = await api.post('/device-types', {
    name: unique('a11y-type-'), vendor: 'OpenDNSSEC', model: 'SoftHSM2', description: '', pin_areas: [{ code: 'pki', name: 'PKI' }],
    pin_rules: { min_length: 6, max_length: 32, charset: 'digits' }, retry_counts: { admin: 10, user: 10 },
  });
  const template = await api.post('/certificate-templates', {
    name: unique('a11y-template-'), description: '', key_algorithm: 'ecdsa-p256', validity_days: 365,
    subject: [{ attr: 'CN', value: '{{display_name}}' }, { attr: 'E', value: '{{email}}' }],
    key_usages: ['digitalSignature'], extended_key_usages: ['clientAuth'], qualified: false,
  });
  const pol = await api.post('/device-policies', {
    name: unique('a11y-policy-'), description: '', priority: 10_000 + Math.floor(Math.random() * 980_000), group_ids: [group.id],
    self_issuance_allowed: true, initialise_before_issuance: true,
    random_user_pin: { enabled: false, length: 8, show_once: true, email_user: false, email_manager: false },
    secret_questions_required: 0, skzi_accounting: false, approval_required: true, smev_check: false, smev_form_editable: false,
    template_ids: [template.id], user_may_choose_templates: false, ...policy,
  });
  return { group, type, template, policy: pol };
}

for (const [lang, L] of Object.entries(LANGUAGES)) {
  test.describe(`in ${lang}`, () => {
    // The language the SPA remembers (i18n/index.ts, LANGUAGE_STORAGE_KEY), set before it starts.
    test.beforeEach(async ({ page }) => {
      await page.addInitScript((l) => window.localStorage.setItem('custos.lang', l), lang);
    });

    test('the login page, blank and with its required-field errors', async ({ page }) => {
      await page.goto('/login');
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expect(page.getByText(L.login.title)).toBeVisible();
      await expectAccessible(page, 'the login page');
      await page.getByTestId(TID.loginSubmit).click();
      await expect(page.getByText(L.fieldErrors.required).first()).toBeVisible();
      await expectAccessible(page, 'the login page with errors');
    });

    test('the users list, a selection, the row menu and the delete confirmation', async ({ adminPage: page, api }) => {
      const [first] = await seedUsers(api, unique('a11yu'), 3);
      const table = new DataTable(page);
      await open(page, `/users?q=${first.replace(/-u01$/, '')}`, L.users.title);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await table.expectRowCount(3);
      await expectAccessible(page, 'the users list');
      await table.rowCheckbox(first).check();
      await expect(page.getByTestId(TID.bulkBar)).toBeVisible();
      await expectAccessible(page, 'the users list with a selection');
      await table.openRowMenu(first);
      await expect(page.getByTestId(TID.rowActionEdit)).toBeVisible();
      await expectAccessible(page, 'the row menu');
      await page.keyboard.press('Escape');
      await page.getByTestId(TID.bulkDelete).click();
      await dialog(page, TID.deleteConfirm);
      await expectAccessible(page, 'the delete confirmation', DIALOGS);
    });

    test('a new user\'s card', async ({ adminPage: page }) => {
      await open(page, '/users/new', L.users.newTitle);
      await expectAccessible(page, 'the new user form');
      await page.getByRole('tab', { name: L.users.tabs.groups, exact: true }).click();
      await expectAccessible(page, 'the new user form, Groups');
    });

    test('a user\'s card: Main, Groups and the attribute tabs', async ({ adminPage: page, api }) => {
      const user = await seedUser(api, { display_name: 'Card reader', extra_attributes: { department: 'Accounts', rooms: ['101', '102'] } });
      await open(page, `/users/${user.id}`, L.users.editTitle.replace('{{name}}', user.login));
      await expectAccessible(page, 'the user card, Main');
      for (const name of [L.users.tabs.groups, L.users.tabs.attributes, L.users.tabs.extra]) {
        await page.getByRole('tab', { name, exact: true }).click();
        await expect(page.getByRole('tab', { name, exact: true })).toHaveAttribute('aria-selected', 'true');
        await expectAccessible(page, `the user card, ${name}`);
      }
    });

    test('a user\'s card: Set password and Delete', async ({ adminPage: page, api }) => {
      const user = await seedUser(api);
      await open(page, `/users/${user.id}`, L.users.editTitle.replace('{{name}}', user.login));
      await page.getByTestId(TID.userSetPassword).click();
      await dialog(page, TID.userSetPasswordDialog);
      await expectAccessible(page, 'the Set password dialog', DIALOGS);
      await closeDialog(page, TID.userSetPasswordDialog, L.common.cancel);
      await page.getByTestId(TID.formDelete).click();
      await expect(page.getByRole('dialog', { name: L.table.deleteConfirmTitle })).toBeVisible();
      await expectAccessible(page, 'the user delete confirmation', DIALOGS);
    });

    test('a user\'s card: Sessions and End sessions', async ({ adminPage: page, api, baseURL }) => {
      const user = await seedUser(api, { password: PASSWORD });
      await (await Api.signIn(baseURL!, user.login, PASSWORD)).dispose();
      await open(page, `/users/${user.id}`, L.users.editTitle.replace('{{name}}', user.login));
      await page.getByRole('tab', { name: L.users.tabs.sessions, exact: true }).click();
      await expect(page.getByTestId(TID.userSessions).locator('tbody tr.ant-table-row')).toHaveCount(1);
      await expectAccessible(page, 'the user card, Sessions');
      await page.getByTestId(TID.userSessionsEnd).click();
      await dialog(page, TID.userSessionsEndConfirm);
      await expectAccessible(page, 'the End sessions confirmation', DIALOGS);
    });

    test('a user\'s card: personal tokens, Revoke and the change log', async ({ adminPage: page, api, baseURL }) => {
      const user = await seedUser(api, { password: PASSWORD, group_ids: [await api.groupId('users'), await api.groupId('auditors')] });
      const asUser = await Api.signIn(baseURL!, user.login, PASSWORD);
      await asUser.post('/me/tokens', { name: 'nightly export', scopes: ['audit.read'] });
      await asUser.dispose();
      await open(page, `/users/${user.id}`, L.users.editTitle.replace('{{name}}', user.login));
      await page.getByRole('tab', { name: L.users.tabs.tokens, exact: true }).click();
      await expect(page.getByTestId(TID.userTokens).getByRole('row', { name: /nightly export/ })).toBeVisible();
      await expectAccessible(page, 'the user card, Personal access tokens');
      await page.getByTestId(TID.userTokens).getByTestId(TID.tokenRevoke).click();
      await dialog(page, TID.tokenRevokeConfirm);
      await expectAccessible(page, 'the token revoke confirmation', DIALOGS);
      await closeDialog(page, TID.tokenRevokeConfirm, L.common.cancel);
      await page.getByRole('tab', { name: L.users.tabs.history, exact: true }).click();
      await expect(page.getByTestId(TID.historyTable)).toContainText(L.audit.actions.create);
      await expectAccessible(page, 'the user card, Settings change log');
    });

    test('the groups list and the report of a refused bulk delete', async ({ adminPage: page, api }) => {
      const id = await api.groupId('auditors');
      const table = new DataTable(page);
      await open(page, '/groups?q=auditors', L.groups.title);
      await expect(table.row('auditors')).toBeVisible();
      await expectAccessible(page, 'the groups list');
      await table.rowCheckbox('auditors').check();
      await page.getByTestId(TID.bulkDelete).click();
      const confirm = await dialog(page, TID.deleteConfirm);
      await confirm.getByRole('button', { name: L.common.delete, exact: true }).click();
      await expect(page.getByTestId(TID.bulkDeleteReport)).toContainText('auditors');
      await expectAccessible(page, 'the bulk delete report');
      expect((await api.get(`/groups/${id}`)).code).toBe('auditors');
    });

    test('the group form: new, and a system group with its change log', async ({ adminPage: page, api }) => {
      const auditors = await api.get(`/groups/${await api.groupId('auditors')}`);
      await open(page, '/groups/new', L.groups.newTitle);
      await expect(page.getByTestId(TID.groupPermissions)).toBeVisible();
      await expectAccessible(page, 'the new group form');
      await open(page, `/groups/${auditors.id}`, L.groups.editTitle.replace('{{name}}', auditors.name));
      await expect(page.getByTestId(TID.groupSystemNotice)).toBeVisible();
      await expectAccessible(page, 'a system group');
      await page.getByRole('tab', { name: L.common.tabHistory, exact: true }).click();
      await expect(page.getByTestId(TID.historyTable)).toBeVisible();
      await expectAccessible(page, 'a group\'s change log');
    });

    test('user types: the list and the form', async ({ adminPage: page, api }) => {
      const code = unique('a11y_ut').toLowerCase();
      const ut = await api.post('/user-types', { code, name: `${code} staff`, quota: 5 });
      await open(page, `/user-types?q=${code}`, L.userTypes.title);
      await new DataTable(page).expectRowCount(1);
      await expectAccessible(page, 'the user types list');
      await open(page, `/user-types/${ut.id}`, L.userTypes.editTitle.replace('{{name}}', ut.name));
      await expect(page.getByTestId(TID.userTypeUsage)).toBeVisible();
      await expectAccessible(page, 'a user type');
      await open(page, '/user-types/new', L.userTypes.newTitle);
      await expectAccessible(page, 'the new user type form');
    });

    test('the access schema: the list and the attribute form', async ({ adminPage: page, api }) => {
      const roles = await userRoles(api);
      await open(page, '/access-schema', L.attributes.title);
      await expect(new DataTable(page).rows().first()).toBeVisible();
      await expectAccessible(page, 'the access schema');
      await open(page, `/access-schema/${roles.id}`, L.attributes.editTitle.replace('{{name}}', roles.name));
      await expectAccessible(page, 'a system attribute');
      await open(page, '/access-schema/new', L.attributes.newTitle);
      await expectAccessible(page, 'the new attribute form');
    });

    test('the licence', async ({ adminPage: page }) => {
      await open(page, '/licence', L.licence.title);
      await expect(page.getByTestId(TID.licenceAccessType)).toBeVisible();
      await expectAccessible(page, 'the licence');
    });

    test('the providers list, its bulk bar and the bulk delete report', async ({ adminPage: page, api }) => {
      const prefix = unique('a11yp');
      const active = await api.post<Provider>('/providers', { name: `${prefix}-p01`, type: 'rest', active: true, params: REST });
      await seedLdap(api, `${prefix}-p02`);
      const table = new DataTable(page);
      await open(page, `/providers?q=${prefix}&sort=name&order=asc`, L.providers.title);
      await table.expectRowCount(2);
      await expectAccessible(page, 'the providers list');
      await table.selectAllCheckbox().check();
      await expect(page.getByTestId(TID.providerBulkActivate)).toBeVisible();
      await expectAccessible(page, 'the providers list with a selection');
      await page.getByTestId(TID.bulkDelete).click();
      const confirm = await dialog(page, TID.deleteConfirm);
      await confirm.getByRole('button', { name: L.common.delete, exact: true }).click();
      await expect(page.getByTestId(TID.bulkDeleteReport)).toContainText(active.name);
      await expectAccessible(page, 'the providers\' bulk delete report');
      expect((await api.get(`/providers?q=${prefix}`)).items.map((x: Provider) => x.name)).toEqual([active.name]);
    });

    test('the providers\' import dialog and its preview', async ({ adminPage: page, api }) => {
      const prefix = unique('a11yp');
      const rest = await api.post<Provider>('/providers', { name: `${prefix}-p01`, type: 'rest', active: false, params: REST });
      const ldap = await seedLdap(api, `${prefix}-p02`);
      await open(page, `/providers?q=${prefix}`, L.providers.title);
      await page.getByTestId(TID.providerImport).click();
      const imp = await dialog(page, TID.providerImportDialog);
      await expectAccessible(page, 'the import dialog', DIALOGS);
      const file = await api.get(`/providers/export?ids=${rest.id},${ldap.id}`);
      file[0].name = `${prefix}-imported`;
      await imp.locator('input[type=file]').setInputFiles({ name: 'providers.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
      await expect(page.getByTestId(TID.providerImportPreview)).toContainText(`${prefix}-imported`);
      await expectAccessible(page, 'the import preview', DIALOGS);
    });

    for (const type of PROVIDER_TYPES) {
      test(`the new provider form for ${type}, every tab`, async ({ adminPage: page }) => {
        await open(page, '/providers/new', L.providers.newTitle);
        await chooseOption(page, page.getByTestId(TID.providerTypeSelect), L.providers.types[type]);
        await expect(page.getByText(L.providers.typeHints[type])).toBeVisible();
        await expectAccessible(page, `the new ${type} provider, Main`);
        const tabs = type === 'local' ? [L.providers.tabs.mapping] : [L.providers.tabs.params, L.providers.tabs.mapping];
        for (const name of tabs) {
          await tab(page, name).click();
          await expect(tab(page, name)).toHaveAttribute('aria-selected', 'true');
          await expectAccessible(page, `the new ${type} provider, ${name}`);
        }
      });
    }

    test('an LDAP provider: Main, Parameters and Delete', async ({ adminPage: page, api }) => {
      const p = await seedLdap(api, `${unique('a11yp')}-p01`);
      await open(page, `/providers/${p.id}`, L.providers.editTitle.replace('{{name}}', p.name));
      await expectAccessible(page, 'a provider, Main');
      await page.getByTestId(TID.formDelete).click();
      await dialog(page, TID.providerDeleteConfirm);
      await expectAccessible(page, 'the provider delete confirmation', DIALOGS);
      await closeDialog(page, TID.providerDeleteConfirm, L.common.cancel);
      await tab(page, L.providers.tabs.params).click();
      await expect(page.getByTestId(`${TID.providerBindPassword}-state`)).toBeVisible();
      await expectAccessible(page, 'a provider, Parameters');
    });

    test('an LDAP provider: the change log and Test connection', async ({ adminPage: page, api }) => {
      const p = await seedLdap(api, `${unique('a11yp')}-p01`);
      await open(page, `/providers/${p.id}`, L.providers.editTitle.replace('{{name}}', p.name));
      await tab(page, L.providers.tabs.history).click();
      await expect(page.getByTestId(TID.historyTable)).toContainText(L.audit.actions.create);
      await expectAccessible(page, 'a provider, Settings change log');
      await page.getByTestId(TID.providerTest).click();
      const check = await dialog(page, TID.providerTestDialog);
      await expect(check.getByTestId(TID.providerTestResult)).toHaveText(L.providers.test.ok);
      await expectAccessible(page, 'the connection test', DIALOGS);
    });

    test('an LDAP provider: Schema mapping and the mapping dialog', async ({ adminPage: page, api }) => {
      const p = await seedLdap(api, `${unique('a11yp')}-p01`);
      const roles = await userRoles(api);
      await open(page, `/providers/${p.id}`, L.providers.editTitle.replace('{{name}}', p.name));
      await tab(page, L.providers.tabs.mapping).click();
      await expect(page.getByTestId(TID.mappingDot)).toBeVisible();
      await expectAccessible(page, 'a provider, Schema mapping');
      await page.getByRole('button', { name: L.providers.mapping.rulesFor.replace('{{name}}', roles.name) }).click();
      const mapping = await dialog(page, TID.mappingDialog);
      await mapping.getByTestId(TID.mappingAddRule).click();
      await expect(mapping.getByRole('textbox')).toHaveCount(4);
      await expectAccessible(page, 'the mapping dialog', DIALOGS);
    });

    test('an LDAP provider: the dry run', async ({ adminPage: page, api }) => {
      const p = await seedLdap(api, `${unique('a11yp')}-p01`);
      await open(page, `/providers/${p.id}`, L.providers.editTitle.replace('{{name}}', p.name));
      await tab(page, L.providers.tabs.mapping).click();
      await page.getByTestId(TID.providerDryRun).click();
      const dry = await dialog(page, TID.providerDryRunDialog);
      await dry.getByRole('textbox').fill('alice');
      await dry.getByTestId(TID.providerDryRunSubmit).click();
      await expect(dry.getByTestId(TID.providerDryRunResult)).toContainText('alice');
      await expectAccessible(page, 'the dry run', DIALOGS);
    });

    test('access tokens: the list, Create and the one-time secret', async ({ adminPage: page, api }) => {
      const prefix = await seedTokens(api);
      await open(page, `/access-tokens?q=${prefix}&sort=name&order=asc`, L.tokens.title);
      await new DataTable(page).expectRowCount(2);
      await expectAccessible(page, 'the access tokens list');
      await page.getByTestId(TID.tableAdd).click();
      const create = await dialog(page, TID.tokenCreateDialog);
      await expectAccessible(page, 'the create token dialog', DIALOGS);
      await create.getByLabel(L.tokens.name, { exact: true }).fill(`${prefix}-new`);
      await create.getByRole('checkbox', { name: /users\.read/ }).check();
      await create.getByRole('button', { name: L.tokens.create, exact: true }).click();
      const reveal = await dialog(page, TID.tokenRevealDialog);
      await expect(reveal.getByTestId(TID.tokenRevealValue)).toHaveValue(/^cst01\./);
      await expectAccessible(page, 'the one-time token secret', DIALOGS);
      expect((await api.get(`/tokens?q=${prefix}-new`)).total).toBe(1);
    });

    test('access tokens: Edit and Revoke', async ({ adminPage: page, api }) => {
      const prefix = await seedTokens(api);
      const table = new DataTable(page);
      await open(page, `/access-tokens?q=${prefix}&sort=name&order=asc`, L.tokens.title);
      await table.row(`${prefix}-live`).dblclick();
      await dialog(page, TID.tokenEditDialog);
      await expectAccessible(page, 'the token edit dialog', DIALOGS);
      await closeDialog(page, TID.tokenEditDialog, L.common.cancel);
      await table.row(`${prefix}-live`).getByTestId(TID.tokenRevoke).click();
      await dialog(page, TID.tokenRevokeConfirm);
      await expectAccessible(page, 'the token revoke confirmation', DIALOGS);
    });

    test('personal access tokens and their Create dialog', async ({ adminPage: page }) => {
      await open(page, '/personal-tokens', L.tokens.personalTitle);
      await expectAccessible(page, 'the personal access tokens');
      await page.getByTestId(TID.tableAdd).click();
      await dialog(page, TID.tokenCreateDialog);
      await expectAccessible(page, 'the create personal token dialog', DIALOGS);
    });

    test('the audit log with a row expanded and the chain verified', async ({ adminPage: page, api }) => {
      const code = unique('a11yg');
      await api.post('/groups', { code, name: 'Audit reader', permissions: ['users.read', 'audit.read'] });
      const table = new DataTable(page);
      await open(page, '/audit?resource_type=group&action=create', L.audit.title);
      await expect(table.row(code)).toBeVisible();
      await expectAccessible(page, 'the audit log');
      await table.row(code).locator('.ant-table-row-expand-icon').click();
      await expect(page.getByTestId(TID.auditDiff).first()).toContainText('audit.read');
      await expectAccessible(page, 'the audit log with a row expanded');
      await page.getByTestId(TID.auditVerify).click();
      await expect(page.getByTestId(TID.auditVerifyResult)).toBeVisible();
      await expectAccessible(page, 'the audit log with the chain verified');
    });

    test('the user menu, Change password and Sign out everywhere', async ({ adminPage: page }) => {
      await open(page, '/licence', L.licence.title);
      await page.getByTestId(TID.userMenu).click();
      await expect(page.getByTestId(TID.userMenuSignOutEverywhere)).toBeVisible();
      await expectAccessible(page, 'the user menu');
      await page.getByTestId(TID.userMenuChangePassword).click();
      await dialog(page, TID.changePasswordDialog);
      await expectAccessible(page, 'the Change password dialog', DIALOGS);
      await closeDialog(page, TID.changePasswordDialog, L.common.cancel);
      await page.getByTestId(TID.userMenu).click();
      await page.getByTestId(TID.userMenuSignOutEverywhere).click();
      await dialog(page, TID.signOutEverywhereConfirm);
      await expectAccessible(page, 'the Sign out everywhere confirmation', DIALOGS);
    });

    test('integrated systems: the list, a system\'s tabs and its certificate dialogs', async ({ adminPage: page, api }) => {
      const system = await api.post('/systems', { name: unique('a11ys'), allowed_services: ['users.read'] });
      const issued = await api.post(`/systems/${system.id}/certificates`, { method: 'p12', password: '' });
      // The page's title, not its (shorter) sidebar label; its strings are the page's own section.
      await open(page, `/systems?q=${system.name}`, lang === 'en' ? 'Integrated systems' : 'Информационные системы');
      await expect(new DataTable(page).row(system.name)).toBeVisible();
      await expectAccessible(page, 'the integrated systems');
      await page.goto(`/systems/${system.id}`);
      await expect(page.getByTestId(TID.pageTitle)).toContainText(system.name);
      await expectAccessible(page, 'a system, Main');
      // Tabs by their keys: the page grows tabs (statistics, webhooks) between these two.
      const tab = (key: string) => page.getByTestId(TID.systemTabs).locator(`[data-node-key="${key}"] [role="tab"]`);
      await tab('history').click();
      await expect(page.getByTestId(TID.historyTable)).toBeVisible();
      await expectAccessible(page, 'a system, its settings change log');
      await tab('certificates').click();
      await expect(page.getByTestId(TID.certStatus).first()).toBeVisible();
      await expectAccessible(page, 'a system, its certificates');
      for (const [button, id] of [[TID.certGenerate, TID.certGenerateDialog], [TID.certBundle, TID.certBundleDialog], [TID.certManual, TID.certManualDialog]]) {
        await page.getByTestId(button).click();
        await dialog(page, id);
        await expectAccessible(page, `the ${id}`, DIALOGS);
        await closeDialog(page, id, L.common.cancel);
      }
      await new DataTable(page).row(issued.serial.slice(0, 10)).getByTestId(TID.certRevoke).click();
      await dialog(page, TID.certRevokeDialog);
      await expectAccessible(page, 'the certificate revoke dialog', DIALOGS);
    });

    test('the home dashboard, a system\'s statistics and webhooks, the webhook dialog', async ({ adminPage: page, api }) => {
      const system = await api.post('/systems', { name: unique('a11yw'), allowed_services: ['users.read'] });
      await api.post(`/systems/${system.id}/webhooks`, { url: 'https://hooks.example.test/custos', events: ['certificate.revoked'] });
      await page.goto('/');
      await expect(page.getByTestId(TID.dashboardRequests)).toBeVisible();
      await expectAccessible(page, 'the home dashboard');
      await page.goto(`/systems/${system.id}`);
      const tab = (key: string) => page.getByTestId(TID.systemTabs).locator(`[data-node-key="${key}"] [role="tab"]`);
      await tab('stats').click();
      await expect(page.getByTestId(TID.systemStats)).toBeVisible();
      await expectAccessible(page, 'a system, its statistics');
      await tab('webhooks').click();
      await expect(page.getByTestId(TID.systemWebhooks).locator('tbody tr.ant-table-row')).toHaveCount(1);
      await expectAccessible(page, 'a system, its webhooks');
      await page.getByTestId(TID.systemWebhooks).getByRole('button', { name: lang === 'en' ? 'Add webhook' : ADD_WEBHOOK_RU }).click();
      await dialog(page, TID.webhookDialog);
      await expectAccessible(page, 'the webhook dialog', DIALOGS);
    });

    test('the client cabinet: a system\'s statistics, parameters, certificates and services', async ({ adminPage: page, api }) => {
      // tech_admin's own group owns the system, so the administrator sees it in the cabinet too.
      const owner = await api.groupId('tech_admins');
      const system = await api.post('/systems', { name: unique('a11yc'), owner_group_id: owner, allowed_services: ['users.read'],
        client_editable: ['description'], client_may_issue: true });
      await api.post('/systems', { name: unique('a11yc2'), owner_group_id: owner }); // two: /cabinet lists them
      await api.post(`/systems/${system.id}/certificates`, { method: 'p12', password: '' });
      await page.goto(`/cabinet/${system.id}`);
      await expect(page.getByTestId(TID.cabinetSystem)).toBeVisible();
      await expectAccessible(page, 'the cabinet, statistics');
      for (const key of ['params', 'certs', 'services']) {
        await page.getByTestId(TID.cabinetTabs).locator(`[data-node-key="${key}"] [role="tab"]`).click();
        await expect(page).toHaveURL(new RegExp(`tab=${key}`));
        await expect(page.locator('.ant-tabs-tabpane-active')).toBeVisible();
        await expectAccessible(page, `the cabinet, ${key}`);
      }
      await page.goto('/cabinet');
      await expect(page.getByTestId(TID.cabinetList)).toContainText(system.name);
      await expectAccessible(page, 'the cabinet, my systems');
    });

    test('the certificate authority and its import dialog', async ({ adminPage: page }) => {
      await open(page, '/ca', L.nav.ca);
      await expect(page.getByTestId(TID.caInfo)).toBeVisible();
      await expectAccessible(page, 'the certificate authority');
      await page.getByTestId(TID.caImport).click();
      await dialog(page, TID.caImportDialog);
      await expectAccessible(page, 'the CA import dialog', DIALOGS);
    });

    for (const noun of ['type', 'template', 'policy'] as const) {
      test(`the device catalogue: the ${noun} list and its form, new and saved`, async ({ adminPage: page, api }) => {
        const T = DEVICE_TITLES[lang as 'en' | 'ru'];
        const c = await seedCatalogue(api);
        const [path, title, newTitle, item] = {
          type: ['/device-types', T.types, T.newType, c.type],
          template: ['/certificate-templates', T.templates, T.newTemplate, c.template],
          policy: ['/device-policies', T.policies, T.newPolicy, c.policy],
        }[noun];
        await open(page, `${path}?q=${encodeURIComponent(item.name)}`, title);
        await new DataTable(page).expectRowCount(1);
        await expectAccessible(page, `the ${noun} list`);
        await page.goto(`${path}/${item.id}`);
        await expect(page.getByTestId(TID.pageTitle)).toContainText(item.name);
        await expectAccessible(page, `a saved ${noun}`);
        await open(page, `${path}/new`, newTitle);
        await expectAccessible(page, `the new ${noun} form`);
      });
    }

    test('issuances: the queue, Issue for a user, the decision dialog, a pending request; the devices and the SKZI register', async ({ adminPage: page, api }) => {
      const T = DEVICE_TITLES[lang as 'en' | 'ru'];
      const c = await seedCatalogue(api);
      const user = await seedUser(api, { group_ids: [await api.groupId('users'), c.group.id] });
      const req = await api.post('/issuances', { user_id: user.id, device_type_id: c.type.id });
      expect(req.state).toBe('pending_approval');
      await open(page, `/issuances?q=${user.login}`, T.issuances);
      const row = new DataTable(page).row(user.login);
      await expect(row.getByTestId(TID.issuanceApprove)).toBeVisible();
      await expectAccessible(page, 'the issuances');
      await page.getByTestId(TID.issueForUser).click();
      await dialog(page, TID.issueForUserDialog);
      await expectAccessible(page, 'the Issue for a user dialog', DIALOGS);
      await closeDialog(page, TID.issueForUserDialog, L.common.cancel);
      await row.getByTestId(TID.issuanceReject).click();
      await dialog(page, TID.issuanceDecisionDialog);
      await expectAccessible(page, 'the decision dialog', DIALOGS);
      await closeDialog(page, TID.issuanceDecisionDialog, L.common.cancel);
      await page.goto(`/issuances/${req.id}`);
      await expect(page.getByTestId(TID.issuanceDetails)).toBeVisible();
      await expectAccessible(page, 'a pending issuance');
      await open(page, '/devices', T.devices);
      await expectAccessible(page, 'the devices');
      await open(page, '/skzi-register', T.register);
      await expect(page.getByTestId(TID.skziRegister)).toBeVisible();
      await expectAccessible(page, 'the SKZI register');
    });

    test('the mail (SMTP) settings', async ({ adminPage: page }) => {
      await open(page, '/mail-settings', DEVICE_TITLES[lang as 'en' | 'ru'].smtp);
      await expect(page.getByTestId(TID.smtpForm)).toBeVisible();
      await expectAccessible(page, 'the mail settings');
    });

    test('self-service: the secret questions asked first, then the devices and the Issue device dialog', async ({ page, api }) => {
      const T = DEVICE_TITLES[lang as 'en' | 'ru'];
      const c = await seedCatalogue(api, { secret_questions_required: 1 });
      const user = await seedUser(api, { password: PASSWORD, group_ids: [await api.groupId('users'), c.group.id] });
      const res = await page.request.post('/api/v1/auth/login', { data: { login: user.login, password: PASSWORD } });
      expect(res.status(), await res.text()).toBe(200);
      await open(page, '/self-service', T.selfService);
      await expect(page.getByTestId(TID.selfServiceQuestions)).toBeVisible();
      await expectAccessible(page, 'self-service, the secret questions');
      await api.patch(`/device-policies/${c.policy.id}`, { secret_questions_required: 0, version: c.policy.version });
      await open(page, '/self-service', T.selfService);
      await expect(page.getByTestId(TID.myDevices)).toBeVisible();
      await expectAccessible(page, 'self-service, the devices');
      await page.getByTestId(TID.issueDevice).click();
      await expect(page.getByTestId(TID.issueDialog)).toBeVisible();
      await expectAccessible(page, 'the Issue device dialog', DIALOGS);
    });

    test('a page that does not exist', async ({ adminPage: page }) => {
      await page.goto('/no-such-page');
      await expect(page.getByText(L.app.notFound)).toBeVisible();
      await expectAccessible(page, 'the not-found page');
    });
  });
}
