// The Providers section (SPEC §4, seed 004): the list, the per-type form, the SPEC §4.4
// rules as the UI explains them, schema mapping, Test connection against a real slapd
// (started by global-setup.ts), dry run, export/import, and a Russian pass. Every test
// seeds through the API with unique names and checks what the server stored.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test, unique, type Api } from '../fixtures';
import { DataTable } from '../pages/DataTable';
import { chooseOption } from '../pages/Select';
import { TID } from '../../frontend/src/testids';

const NAME_COL = 1;
const SCREENS = 'test-results/screens';
const UUID_URL = /\/providers\/[0-9a-f-]{36}$/;

type Kind = 'oidc' | 'oidc_token' | 'oidc_cookie' | 'ldap' | 'ldap_kerberos' | 'rest';
interface Provider {
  id: string;
  name: string;
  type: string;
  active: boolean;
  version: number;
  params: Record<string, unknown>;
  mappings: { attribute: string; source: string; rules: { from: string; to: string }[] }[];
  [k: string]: unknown;
}

const OIDC = { client_id: 'custos-console', client_secret: 'shh-secret', external_url: 'https://id.example.test/realms/main' };
const PARAMS: Record<Kind, Record<string, unknown> | undefined> = {
  oidc: OIDC,
  oidc_token: OIDC,
  oidc_cookie: OIDC,
  rest: { external_url: 'https://rest.example.test/auth' },
  ldap: { host: '127.0.0.1', base_dn: 'dc=custos,dc=test' },
  ldap_kerberos: undefined,
};

function ldapEnv() {
  const env = { host: process.env.LDAP_HOST, port: process.env.LDAP_PORT, baseDn: process.env.LDAP_BASE_DN, bindDn: process.env.LDAP_ADMIN_DN, password: process.env.LDAP_ADMIN_PASSWORD };
  expect(env.port, 'global-setup.ts starts slapd and exports LDAP_*').toBeTruthy();
  return env as Record<keyof typeof env, string>;
}

/** seed creates providers named <prefix>-p01… in the given order. */
async function seed(api: Api, prefix: string, specs: [Kind, boolean][]): Promise<Provider[]> {
  const out: Provider[] = [];
  for (const [i, [type, active]] of specs.entries()) {
    const name = `${prefix}-p${String(i + 1).padStart(2, '0')}`;
    out.push(await api.post<Provider>('/providers', { name, type, active, ...(PARAMS[type] ? { params: PARAMS[type] } : {}) }));
  }
  return out;
}

const getProvider = (api: Api, id: string) => api.get<Provider>(`/providers/${id}`);
const namesOf = (page: { items: Provider[] }) => page.items.map((p) => p.name);

async function openNew(page: Page, type?: string) {
  await page.goto('/providers');
  await page.getByTestId(TID.tableAdd).click();
  await expect(page).toHaveURL(/\/providers\/new$/);
  if (type) await chooseOption(page, page.getByTestId(TID.providerTypeSelect), type);
}

async function saveAndOpen(page: Page): Promise<string> {
  await page.getByTestId(TID.formSave).click();
  await expect(page).toHaveURL(UUID_URL);
  await expect(page.getByText('Created', { exact: true })).toBeVisible();
  return page.url().split('/').pop()!;
}

const tab = (page: Page, name: string) => page.getByRole('tab', { name, exact: true });

test.describe('the providers list', () => {
  test('search, each filter, Clear filters, 3-state sort on every column, paging and page size, all in the URL', async ({ adminPage: page, api }) => {
    const prefix = unique('plist');
    // 12 providers: rest, oidc, oidc_token in turn; p01, p05 and p09 active.
    const specs = Array.from({ length: 12 }, (_, i) => [(['rest', 'oidc', 'oidc_token'] as Kind[])[i % 3], i % 4 === 0] as [Kind, boolean]);
    const seeded = await seed(api, prefix, specs);
    const table = new DataTable(page);

    await page.goto('/providers');
    await expect(page.getByTestId(TID.pageTitle)).toHaveText('Providers');
    await expect(page.getByTestId(TID.sideNav).getByRole('link').first()).toHaveText('Providers');
    await expect(page.getByTestId(TID.tableClearFilters)).toHaveCount(0);
    await table.search(prefix);
    await expect(page).toHaveURL(new RegExp(`q=${prefix}`));
    await expect(table.shownRange()).toHaveText('Shown 1–12 of 12');
    await expect(page.getByTestId(TID.tableClearFilters)).toBeVisible();

    // Every column sorts ascending, descending, then not at all; the order is the server's.
    for (const [title, field] of [['Name', 'name'], ['Type', 'type'], ['Activity', 'active']]) {
      const header = table.header(title);
      await header.click();
      await expect(page).toHaveURL(new RegExp(`sort=${field}&order=asc`));
      await expect(header).toHaveAttribute('aria-sort', 'ascending');
      const asc = await api.get(`/providers?q=${prefix}&sort=${field}&order=asc`);
      await expect.poll(() => table.columnTexts(NAME_COL)).toEqual(namesOf(asc));
      await header.click();
      await expect(page).toHaveURL(new RegExp(`sort=${field}&order=desc`));
      await expect(header).toHaveAttribute('aria-sort', 'descending');
      const desc = await api.get(`/providers?q=${prefix}&sort=${field}&order=desc`);
      await expect.poll(() => table.columnTexts(NAME_COL)).toEqual(namesOf(desc));
      await header.click();
      await expect(page).not.toHaveURL(/sort=/);
      await expect(header).not.toHaveAttribute('aria-sort', /ascending|descending/);
    }
    expect(new Set(await table.columnTexts(3))).toEqual(new Set(['Active', 'Inactive']));

    // Paging: 10 per page gives 10 + 2; a reload restores the view.
    await table.header('Name').click();
    await table.setPageSize(10);
    await expect(page).toHaveURL(/page_size=10/);
    await expect(table.shownRange()).toHaveText('Shown 1–10 of 12');
    await table.pageButton(2).click();
    await expect(page).toHaveURL(/page=2/);
    await expect(table.shownRange()).toHaveText('Shown 11–12 of 12');
    await page.reload();
    await expect.poll(() => table.columnTexts(NAME_COL)).toEqual(seeded.slice(10).map((p) => p.name));

    // Type filter: External REST only (p01, p04, p07, p10), back to page 1.
    await table.selectFilter('type', /^External REST$/);
    await expect(page).toHaveURL(/type=rest/);
    await expect(page).not.toHaveURL(/page=2/);
    const rest = seeded.filter((p) => p.type === 'rest').map((p) => p.name);
    await expect.poll(() => table.columnTexts(NAME_COL)).toEqual(rest);
    expect(new Set(await table.columnTexts(2))).toEqual(new Set(['External REST']));
    // Activity filter on top: inactive REST providers only.
    await table.selectFilter('active', 'Inactive');
    await expect(page).toHaveURL(/active=false/);
    const inactiveRest = await api.get(`/providers?q=${prefix}&type=rest&active=false&sort=name&order=asc`);
    expect(inactiveRest.total).toBe(3);
    await expect.poll(() => table.columnTexts(NAME_COL)).toEqual(namesOf(inactiveRest));
    await page.screenshot({ path: `${SCREENS}/providers-list-filtered-en.png`, fullPage: true, animations: 'disabled' });
    // "All types" lifts one filter; the other stays.
    await table.selectFilter('type', 'All types');
    await expect(page).not.toHaveURL(/type=/);
    await expect(table.shownRange()).toHaveText('Shown 1–9 of 9');
    await table.selectFilter('active', 'Active');
    await expect(table.shownRange()).toHaveText('Shown 1–3 of 3');

    // Clear filters resets the filters and the search, then disappears.
    await page.getByTestId(TID.tableClearFilters).click();
    await expect(page).not.toHaveURL(/active=|q=|type=/);
    await expect(page.getByTestId(TID.tableClearFilters)).toHaveCount(0);
    await expect(page.locator(`input[data-testid="${TID.tableSearch}"]`)).toHaveValue('');
    await page.screenshot({ path: `${SCREENS}/providers-list-en.png`, fullPage: true, animations: 'disabled' });
  });

  test('selection and the bulk bar: one, two, all; bulk deactivate/activate; bulk delete reports the active provider it refused', async ({ adminPage: page, api }) => {
    const prefix = unique('pbulk');
    const [a, b, c, live] = await seed(api, prefix, [['oidc', false], ['rest', false], ['oidc_token', false], ['oidc', true]]);
    const table = new DataTable(page);
    await page.goto(`/providers?q=${prefix}&sort=name&order=asc`);
    await table.expectRowCount(4);

    await table.rowCheckbox(a.name).check();
    await expect(page.getByTestId(TID.bulkSelectedCount)).toHaveText('Selected: 1');
    await expect(page.getByTestId(TID.bulkEdit)).toBeEnabled();
    await table.rowCheckbox(b.name).check();
    await expect(page.getByTestId(TID.bulkSelectedCount)).toHaveText('Selected: 2');
    await expect(page.getByTestId(TID.bulkEdit)).toBeDisabled();
    await page.screenshot({ path: `${SCREENS}/providers-bulk-bar-en.png`, fullPage: true, animations: 'disabled' });
    await page.getByTestId(TID.bulkResetSelection).click();
    await expect(page.getByTestId(TID.bulkBar)).toHaveCount(0);

    // Edit in the bulk bar opens the one selected provider.
    await table.rowCheckbox(c.name).check();
    await page.getByTestId(TID.bulkEdit).click();
    await expect(page).toHaveURL(new RegExp(`/providers/${c.id}$`));
    await page.goBack();

    // Bulk deactivate, then activate again, with the server's state checked each time.
    await table.rowCheckbox(live.name).check();
    await page.getByTestId(TID.providerBulkDeactivate).click();
    await expect(page.getByText('Deactivated: 1', { exact: true })).toBeVisible();
    expect((await getProvider(api, live.id)).active).toBe(false);
    await expect(table.row(live.name)).toContainText('Inactive');
    await page.getByTestId(TID.providerBulkActivate).click();
    await expect(page.getByText('Activated: 1', { exact: true })).toBeVisible();
    expect((await getProvider(api, live.id)).active).toBe(true);
    await page.getByTestId(TID.bulkResetSelection).click();

    // Select all, Delete: Cancel keeps everything; Delete removes the three inactive ones
    // and reports the active one.
    await table.selectAllCheckbox().check();
    await expect(page.getByTestId(TID.bulkSelectedCount)).toHaveText('Selected: 4');
    await page.getByTestId(TID.bulkDelete).click();
    const dialog = page.getByTestId(TID.deleteConfirm);
    await expect(dialog).toContainText('Selected objects will be deleted: 4');
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

  test('the row menu edits and deletes; Delete is disabled with the reason for active and local providers; double-click edits', async ({ adminPage: page, api }) => {
    const prefix = unique('prow');
    const [idle, live] = await seed(api, prefix, [['rest', false], ['oidc', true]]);
    const table = new DataTable(page);
    await page.goto(`/providers?q=${prefix}&sort=name&order=asc`);

    await table.row(idle.name).dblclick();
    await expect(page).toHaveURL(new RegExp(`/providers/${idle.id}$`));
    await expect(page.getByTestId(TID.pageTitle)).toHaveText(`Provider ${idle.name}`);
    await page.getByTestId(TID.formCancel).click();
    await expect(page).toHaveURL(new RegExp(`/providers\\?q=${prefix}`));

    await table.openRowMenu(live.name);
    const del = page.getByRole('menuitem', { name: 'Delete' });
    await expect(del).toHaveAttribute('aria-disabled', 'true');
    await expect(del).toHaveAttribute('title', 'An active provider cannot be deleted: deactivate it first');
    await page.getByRole('menuitem', { name: 'Edit' }).click();
    await expect(page).toHaveURL(new RegExp(`/providers/${live.id}$`));

    // The local provider can only be deactivated.
    await page.goto('/providers?type=local');
    await table.expectRowCount(1);
    await expect(table.rows().first()).toContainText('Local (user_permissions)');
    await table.rows().first().getByTestId(TID.rowActions).click();
    await expect(page.getByRole('menuitem', { name: 'Delete' })).toHaveAttribute('title', 'The local provider cannot be deleted, only deactivated');
    await page.keyboard.press('Escape');

    await page.goto(`/providers?q=${prefix}`);
    await table.openRowMenu(idle.name);
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    await page.getByTestId(TID.deleteConfirm).getByRole('button', { name: 'Delete' }).click();
    await expect(page.getByText('Deleted: 1', { exact: true })).toBeVisible();
    await table.expectRowCount(1);
    await api.call('GET', `/providers/${idle.id}`, undefined, [404]);
  });
});

test.describe('creating providers of each type', () => {
  test('OpenID, OpenID Token and OpenID Cookie: button label only for OpenID, user type only with creation allowed, secrets write-only', async ({ adminPage: page, api }) => {
    const prefix = unique('poidc');
    const userType = await api.post('/user-types', { code: `${prefix}_ut`, name: `${prefix} staff`, quota: 0 });
    const groups = await api.get('/groups?q=operators');
    const operators = groups.items.find((g: { code: string }) => g.code === 'operators');

    await openNew(page);
    await expect(page.getByTestId(TID.pageTitle)).toHaveText('New provider');
    await expect(page.getByRole('switch', { name: 'Active' })).not.toBeChecked();
    await expect(page.getByTestId(TID.providerTypeSelect)).toContainText('OpenID');
    const name = `${prefix}-openid`;
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Third-party sign-in button caption').fill('Sign in with Corp ID');
    await chooseOption(page, page.getByTestId(TID.providerBaseGroups), /^Operators/);
    await page.keyboard.press('Escape');
    await expect(page.getByLabel('User type')).toHaveCount(0);
    await page.getByRole('switch', { name: 'Allow creating new users through external management' }).click();
    await chooseOption(page, page.getByTestId(TID.providerUserType), `${prefix} staff`);
    await expect(page.locator('.ant-select-dropdown:visible')).toHaveCount(0);
    await page.screenshot({ path: `${SCREENS}/provider-new-main-en.png`, fullPage: true, animations: 'disabled' });
    await tab(page, 'Parameters').click();
    await page.getByLabel('IA identifier').fill('custos-console');
    await page.getByLabel('Access secret key').fill('client-secret-1');
    await page.getByLabel('External URL').fill('https://id.example.test/realms/main');
    await page.screenshot({ path: `${SCREENS}/provider-new-params-oidc-en.png`, fullPage: true, animations: 'disabled' });
    const id = await saveAndOpen(page);

    const saved = await getProvider(api, id);
    expect(saved).toMatchObject({
      name,
      type: 'oidc',
      active: false,
      button_label: 'Sign in with Corp ID',
      base_group_ids: [operators.id],
      allow_user_creation: true,
      user_type_id: userType.id,
      params: { client_id: 'custos-console', client_secret_set: true, external_url: 'https://id.example.test/realms/main' },
    });
    expect(JSON.stringify(saved)).not.toContain('client-secret-1');
    // The edit form: the type is fixed, the secret shows as set with Replace.
    await expect(page.getByTestId(TID.pageTitle)).toHaveText(`Provider ${name}`);
    await expect(page.getByLabel('Type', { exact: true })).toBeDisabled();
    await tab(page, 'Parameters').click();
    await expect(page.getByTestId(`${TID.providerClientSecret}-state`)).toContainText('Set');
    await page.screenshot({ path: `${SCREENS}/provider-edit-params-oidc-en.png`, fullPage: true, animations: 'disabled' });
    // Switching user creation off drops the user type.
    await tab(page, 'Main').click();
    await page.getByRole('switch', { name: 'Allow creating new users through external management' }).click();
    await expect(page.getByLabel('User type')).toHaveCount(0);
    await page.getByTestId(TID.formSave).click();
    await expect(page.getByText('Changes saved', { exact: true })).toBeVisible();
    expect(await getProvider(api, id)).toMatchObject({ allow_user_creation: false, user_type_id: null, version: 2 });

    for (const [label, type] of [['OpenID Token', 'oidc_token'], ['OpenID Cookie', 'oidc_cookie']]) {
      await openNew(page, label);
      await expect(page.getByLabel('Third-party sign-in button caption')).toHaveCount(0);
      await page.getByLabel('Name', { exact: true }).fill(`${prefix}-${type}`);
      await tab(page, 'Parameters').click();
      await page.getByLabel('IA identifier').fill(`${type}-client`);
      await page.getByLabel('Access secret key').fill('s3cret');
      await page.getByLabel('External URL').fill('https://sso.example.test');
      const pid = await saveAndOpen(page);
      expect(await getProvider(api, pid)).toMatchObject({
        type,
        button_label: '',
        params: { client_id: `${type}-client`, client_secret_set: true, external_url: 'https://sso.example.test' },
      });
    }
  });

  test('External REST and LDAP Kerberos; a second local provider is refused and the refusal shown on Type', async ({ adminPage: page, api }) => {
    const prefix = unique('ptype');
    await openNew(page, 'External REST');
    await page.getByLabel('Name', { exact: true }).fill(`${prefix}-rest`);
    await tab(page, 'Parameters').click();
    await expect(page.getByLabel('IA identifier')).toHaveCount(0);
    await page.getByLabel('External URL').fill('https://rest.example.test/login');
    const restId = await saveAndOpen(page);
    expect(await getProvider(api, restId)).toMatchObject({ type: 'rest', params: { external_url: 'https://rest.example.test/login' } });

    await openNew(page, 'LDAP Kerberos');
    await page.getByLabel('Name', { exact: true }).fill(`${prefix}-krb`);
    await tab(page, 'Parameters').click();
    await expect(page.getByTestId(TID.providerKerberosNote)).toContainText('reverse proxy');
    await page.screenshot({ path: `${SCREENS}/provider-new-params-kerberos-en.png`, fullPage: true, animations: 'disabled' });
    const krbId = await saveAndOpen(page);
    expect(await getProvider(api, krbId)).toMatchObject({ type: 'ldap_kerberos', active: false, params: {} });

    // Local: no Parameters tab; the server refuses a second one, shown on the Type field.
    await openNew(page, 'Local (user_permissions)');
    await expect(tab(page, 'Parameters')).toHaveCount(0);
    await page.getByLabel('Name', { exact: true }).fill(`${prefix}-local`);
    await page.getByTestId(TID.formSave).click();
    const typeItem = page.locator('.ant-form-item').filter({ has: page.getByTestId(TID.providerTypeSelect) });
    await expect(typeItem.locator('.ant-form-item-explain-error')).toHaveText('There is already a local provider; there can be only one');
    await expect(page).toHaveURL(/\/providers\/new$/);
    const locals = await api.get('/providers?type=local');
    expect(locals.total).toBe(1);
    expect(namesOf(locals)).not.toContain(`${prefix}-local`);
  });

  test('LDAP: defaults follow SSL and the server type; Test connection against a real slapd; dry run of a login', async ({ adminPage: page, api }) => {
    const ldap = ldapEnv();
    const name = unique('pldap');
    await openNew(page, 'LDAP');
    await page.getByLabel('Name', { exact: true }).fill(name);
    await tab(page, 'Parameters').click();
    const port = page.getByLabel('Port number');
    const userAttr = page.getByLabel('Username attribute');
    await expect(port).toHaveValue('389');
    await expect(userAttr).toHaveValue('sAMAccountName');
    const connection = page.getByTestId(TID.providerConnection);
    await connection.getByText('SSL/TLS', { exact: true }).click();
    await expect(port).toHaveValue('636');
    await expect(page.getByLabel('Trusted CA certificate (PEM)')).toBeVisible();
    await connection.getByText('STARTTLS', { exact: true }).click();
    await expect(port).toHaveValue('389');
    await connection.getByText('Plain', { exact: true }).click();
    await chooseOption(page, page.getByTestId(TID.providerServerType), 'OpenLDAP');
    await expect(userAttr).toHaveValue('uid');

    await page.getByLabel('Host name').fill(ldap.host);
    await port.fill(ldap.port);
    await page.getByLabel('Login', { exact: true }).fill(ldap.bindDn);
    await page.getByLabel('Password', { exact: true }).fill(ldap.password);
    await page.getByLabel('Base domain').fill(ldap.baseDn);
    await page.getByLabel('LDAP filter').fill('(objectClass=inetOrgPerson)');
    await page.screenshot({ path: `${SCREENS}/provider-new-params-ldap-en.png`, fullPage: true, animations: 'disabled' });
    const id = await saveAndOpen(page);
    expect(await getProvider(api, id)).toMatchObject({
      type: 'ldap',
      params: {
        host: ldap.host,
        port: Number(ldap.port),
        bind_dn: ldap.bindDn,
        bind_password_set: true,
        connection: 'plain',
        server_type: 'openldap',
        base_dn: ldap.baseDn,
        filter: '(objectClass=inetOrgPerson)',
        username_attribute: 'uid',
      },
    });

    // Test connection: every step of the checklist passes.
    await page.getByTestId(TID.providerTest).click();
    const dialog = page.getByTestId(TID.providerTestDialog);
    await expect(dialog.getByTestId(TID.providerTestResult)).toHaveText('Connection works');
    const steps = dialog.getByTestId(TID.providerTestSteps).locator('[data-step]');
    await expect(steps).toHaveCount(4);
    for (const [i, step] of ['DNS lookup', 'TCP connection', 'Bind', 'Search of one entry'].entries()) {
      await expect(steps.nth(i)).toContainText(step);
      await expect(steps.nth(i)).toHaveAttribute('data-ok', 'true');
    }
    await expect(steps.nth(2)).toContainText(`bound as ${ldap.bindDn}`);
    await page.screenshot({ path: `${SCREENS}/provider-test-ok-en.png`, fullPage: true, animations: 'disabled' });
    const trace = await api.post(`/providers/${id}/test`);
    expect(trace.ok).toBe(true);
    await dialog.locator('.ant-modal-footer').getByRole('button', { name: 'Close' }).click();

    // Dry run: alice's directory entry becomes a user.
    await tab(page, 'Schema mapping').click();
    await page.getByTestId(TID.providerDryRun).click();
    const dry = page.getByTestId(TID.providerDryRunDialog);
    await dry.getByRole('textbox', { name: 'LDAP login' }).fill('alice');
    await dry.getByTestId(TID.providerDryRunSubmit).click();
    const result = dry.getByTestId(TID.providerDryRunResult);
    await expect(result).toContainText('alice@custos.test');
    await expect(result).toContainText('Alice Liddell');
    await page.screenshot({ path: `${SCREENS}/provider-dry-run-ldap-en.png`, fullPage: true, animations: 'disabled' });
    expect((await api.post(`/providers/${id}/dry-run`, { login: 'alice' })).email).toBe('alice@custos.test');
    await dry.locator('.ant-modal-footer').getByRole('button', { name: 'Close' }).click();

    // A wrong bind password: the trace stops at Bind, failed.
    await tab(page, 'Parameters').click();
    await expect(page.getByTestId(`${TID.providerBindPassword}-state`)).toContainText('Set');
    await page.getByRole('button', { name: 'Replace' }).click();
    await page.getByLabel('Password', { exact: true }).fill('not-the-password');
    await page.getByTestId(TID.formSave).click();
    await expect(page.getByText('Changes saved', { exact: true })).toBeVisible();
    await page.getByTestId(TID.providerTest).click();
    await expect(dialog.getByTestId(TID.providerTestResult)).toHaveText('Connection failed');
    await expect(steps.last()).toContainText('Bind');
    await expect(steps.last()).toHaveAttribute('data-ok', 'false');
    await page.screenshot({ path: `${SCREENS}/provider-test-failed-en.png`, fullPage: true, animations: 'disabled' });
    const failed = await api.post(`/providers/${id}/test`);
    expect(failed.ok).toBe(false);
    expect(failed.steps.at(-1).step).toBe('bind');
  });
});

test.describe('rules and validation', () => {
  test('client validation, a server error on its field, and a §4.4 rule explained on Active', async ({ adminPage: page, api }) => {
    const prefix = unique('pval');
    await openNew(page, 'LDAP');
    await page.getByTestId(TID.formSave).click();
    await expect(page.locator('.ant-form-item-explain-error').first()).toHaveText('Required field');

    // A filter that looks fine to the client but is not RFC 4515: the server's error
    // lands on the field, on its tab.
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

    // Only one active OpenID Cookie provider: a second is refused, explained on Active.
    const [active] = await seed(api, prefix, [['oidc_cookie', true]]);
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
      await api.patch(`/providers/${active.id}`, { version: active.version, active: false });
    }
  });

  test('a stale version is a conflict offering the current state; Delete on Main confirms with the users count', async ({ adminPage: page, api }) => {
    const prefix = unique('pver');
    const [p, live] = await seed(api, prefix, [['rest', false], ['rest', true]]);
    await page.goto(`/providers/${live.id}`);
    await expect(page.getByTestId(TID.formDelete)).toBeDisabled();

    await page.goto(`/providers/${p.id}`);
    await expect(page.getByLabel('Name', { exact: true })).toHaveValue(p.name);
    await api.patch(`/providers/${p.id}`, { version: 1, name: `${p.name}-renamed` });
    await page.getByLabel('Name', { exact: true }).fill(`${p.name}-mine`);
    await page.getByTestId(TID.formSave).click();
    await expect(page.getByTestId(TID.versionConflict)).toBeVisible();
    await page.getByTestId(TID.versionConflictReload).click();
    await expect(page.getByLabel('Name', { exact: true })).toHaveValue(`${p.name}-renamed`);
    expect((await getProvider(api, p.id)).name).toBe(`${p.name}-renamed`);

    await tab(page, 'Settings change log').click();
    await expect(page.getByTestId(TID.historyTable)).toContainText('Updated');
    await expect(page.getByTestId(TID.historyTable)).toContainText('Created');
    await page.screenshot({ path: `${SCREENS}/provider-history-en.png`, fullPage: true, animations: 'disabled' });
    // Delete sits on the Main tab.
    await expect(page.getByTestId(TID.formDelete)).toHaveCount(0);
    await tab(page, 'Main').click();
    await page.getByTestId(TID.formDelete).click();
    const confirm = page.getByTestId(TID.providerDeleteConfirm);
    await expect(confirm).toContainText('Users who came through this provider: 0');
    await page.screenshot({ path: `${SCREENS}/provider-delete-confirm-en.png`, fullPage: true, animations: 'disabled' });
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await expect(page).toHaveURL(/\/providers$/);
    await api.call('GET', `/providers/${p.id}`, undefined, [404]);
  });
});

test.describe('schema mapping', () => {
  test('provider attributes, the Attribute mapping dialog (add and delete rules), the dot marker, Without mapping, and a dry run', async ({ adminPage: page, api }) => {
    const prefix = unique('pmap');
    const dept = await api.post('/attributes', { code: `${prefix}_dept`, name: `${prefix} Department`, type: 'string' });
    const region = await api.post('/attributes', { code: `${prefix}_region`, name: `${prefix} Region`, type: 'string' });
    const [p] = await seed(api, prefix, [['oidc', false]]);

    // Rules need a saved provider.
    await openNew(page);
    await tab(page, 'Schema mapping').click();
    await expect(page.getByRole('button', { name: 'Mapping rules for Роль' })).toBeDisabled();

    await page.goto(`/providers/${p.id}`);
    await tab(page, 'Schema mapping').click();
    const mapping = page.getByTestId(TID.mappingTable);
    const row = (text: string) => mapping.locator('tr.ant-table-row').filter({ hasText: text });
    await expect(row('user_roles')).toContainText('[system code].roles.[role code]');
    await page.getByLabel(`Provider attribute for ${dept.name}`).fill('department');

    await page.getByRole('button', { name: 'Mapping rules for Роль' }).click();
    const dialog = page.getByTestId(TID.mappingDialog);
    await expect(dialog).toContainText('Attribute mapping: Роль');
    await dialog.getByRole('button', { name: 'Add rule' }).click();
    await dialog.getByLabel('Provider value 1').fill('covid19_test.roles.covid19_fdkc');
    await dialog.getByLabel('Schema value 1').fill('operators');
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
        { attribute: 'user_roles', source: '', rules: [{ from: 'covid19_test.roles.covid19_fdkc', to: 'operators' }] },
        { attribute: dept.code, source: 'department', rules: [] },
      ]),
    );
    expect(saved.mappings).toHaveLength(2);

    // Without mapping: only attributes with neither a provider attribute nor rules.
    const without = page.getByRole('switch', { name: 'Without mapping' });
    await without.click();
    await expect(row(region.code)).toBeVisible();
    await expect(row(dept.code)).toHaveCount(0);
    await expect(row('user_roles')).toHaveCount(0);
    await without.click();
    await expect(row(dept.code)).toBeVisible();

    // Dry run of sample claims through the saved mapping.
    await page.getByTestId(TID.providerDryRun).click();
    const dry = page.getByTestId(TID.providerDryRunDialog);
    await dry.getByRole('textbox', { name: 'Claims (JSON)' }).fill(JSON.stringify({ preferred_username: 'bob', email: 'bob@example.test', department: 'R&D', shoe_size: 44 }));
    await dry.getByTestId(TID.providerDryRunSubmit).click();
    const result = dry.getByTestId(TID.providerDryRunResult);
    await expect(result).toContainText('bob@example.test');
    await expect(result).toContainText(`${dept.code} = R&D`);
    await expect(result).toContainText('shoe_size = 44');
    await page.screenshot({ path: `${SCREENS}/provider-dry-run-claims-en.png`, fullPage: true, animations: 'disabled' });
    await dry.locator('.ant-modal-footer').getByRole('button', { name: 'Close' }).click();

    // Deleting the last rule removes the dot and, with no source, the mapping.
    await page.getByRole('button', { name: 'Mapping rules for Роль' }).click();
    await dialog.getByRole('button', { name: 'Delete rule 1' }).click();
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await expect(row('user_roles').getByTestId(TID.mappingDot)).toHaveCount(0);
    await page.getByTestId(TID.formSave).click();
    await expect.poll(async () => (await getProvider(api, p.id)).mappings).toEqual([{ attribute: dept.code, source: 'department', rules: [] }]);
  });
});

test('export of the selection and import with a preview before applying', async ({ adminPage: page, api }, testInfo) => {
  const prefix = unique('pxfer');
  const [one, two] = await seed(api, prefix, [['rest', false], ['rest', false]]);
  const table = new DataTable(page);
  await page.goto(`/providers?q=${prefix}&sort=name&order=asc`);
  await table.selectAllCheckbox().check();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(TID.providerBulkExport).click()]);
  expect(download.suggestedFilename()).toMatch(/^custos-providers-\d{4}-\d{2}-\d{2}\.json$/);
  const exported = JSON.parse(readFileSync((await download.path())!, 'utf8'));
  expect(exported.map((e: { name: string }) => e.name).sort()).toEqual([one.name, two.name]);

  // The file: the first provider under a new name (create), the second with a new URL (update).
  const byName = (n: string) => exported.find((e: { name: string }) => e.name === n);
  byName(two.name).params.external_url = 'https://changed.example.test/auth';
  byName(one.name).name = `${prefix}-imported`;
  const file = testInfo.outputPath('providers.json');
  writeFileSync(file, JSON.stringify(exported));

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

test('Russian pass: the list, the bulk bar, every tab and the mapping dialog speak the seed’s terms', async ({ adminPage: page, api }) => {
  const ldap = ldapEnv();
  const prefix = unique('pru');
  const [p] = await seed(api, prefix, [['ldap', false]]);
  await api.patch(`/providers/${p.id}`, {
    version: 1,
    params: { host: ldap.host, port: Number(ldap.port), server_type: 'openldap', base_dn: ldap.baseDn },
    mappings: [{ attribute: 'user_roles', source: 'memberOf', rules: [{ from: 'cn=admins', to: 'administrators' }] }],
  });
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
  await table.search(prefix);
  await expect(page.getByTestId(TID.tableClearFilters)).toHaveText('Очистить фильтры');
  await expect(table.row(p.name)).toContainText('Неактивен');
  await table.rowCheckbox(p.name).check();
  await expect(page.getByTestId(TID.bulkSelectedCount)).toHaveText('Выделено: 1');
  await expect(page.getByTestId(TID.bulkResetSelection)).toHaveText('Сбросить выбранные');
  await expect(page.getByTestId(TID.bulkEdit)).toHaveText('Редактировать');
  await page.screenshot({ path: `${SCREENS}/providers-bulk-bar-ru.png`, fullPage: true, animations: 'disabled' });

  await table.row(p.name).dblclick();
  await expect(page.getByTestId(TID.pageTitle)).toHaveText(`Провайдер ${p.name}`);
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
  await page.getByTestId(TID.providerTest).click();
  const test = page.getByTestId(TID.providerTestDialog);
  await expect(test.getByTestId(TID.providerTestResult)).toHaveText('Подключение работает');
  await expect(test).toContainText('Привязка (bind)');
  await expect(test).toContainText('Проверяются сохранённые настройки.');
  await page.screenshot({ path: `${SCREENS}/provider-test-ru.png`, fullPage: true, animations: 'disabled' });
  await test.locator('.ant-modal-footer').getByRole('button', { name: 'Закрыть' }).click();

  await tab(page, 'Основное').click();
  await page.getByLabel('Наименование').fill(`${p.name}-ру`);
  await page.getByTestId(TID.formSave).click();
  await expect(page.getByText('Изменения сохранены')).toBeVisible();
  await tab(page, 'Журнал изменений настроек').click();
  await expect(page.getByTestId(TID.historyTable)).toContainText('Создание');
  await page.screenshot({ path: `${SCREENS}/provider-history-ru.png`, fullPage: true, animations: 'disabled' });
  expect((await getProvider(api, p.id)).name).toBe(`${p.name}-ру`);
});
