// The provider form per type (SPEC §4.2–4.3): what each type asks for and what the server
// stores; LDAP's connection test against the suite's slapd (global-setup.ts) and dry run.
// A test that only edits seeds its provider through the API.
import { expect, ldapParams, test, unique } from '../fixtures';
import { getProvider, ldapEnv, namesOf, type Provider } from '../fixtures/providers';
import { openNew, saveAndOpen, tab } from '../pages/ProviderForm';
import { chooseOption } from '../pages/Select';
import { TID } from '../../frontend/src/testids';

const SCREENS = 'screens';

test.describe.configure({ mode: 'parallel' });

test.describe('OpenID providers', () => {
  test('Add on the list opens an empty, inactive OpenID form', async ({ adminPage: page }) => {
    await page.goto('/providers');
    await page.getByTestId(TID.tableAdd).click();
    await expect(page).toHaveURL(/\/providers\/new$/);
    await expect(page.getByTestId(TID.pageTitle)).toHaveText('New provider');
    await expect(page.getByRole('switch', { name: 'Active' })).not.toBeChecked();
    await expect(page.getByTestId(TID.providerTypeSelect)).toContainText('OpenID');
  });

  test('OpenID: button label, base groups, user type only with creation allowed; the secret is write-only', async ({ adminPage: page, api }) => {
    const prefix = unique('poidc');
    const userType = await api.post('/user-types', { code: `${prefix}_ut`, name: `${prefix} staff`, quota: 0 });
    const operators = await api.groupId('operators');

    await openNew(page);
    const name = `${prefix}-openid`;
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Third-party sign-in button caption').fill('Sign in with Corp ID');
    await chooseOption(page, page.getByTestId(TID.providerBaseGroups), /^Operators/, 'Operators');
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
      base_group_ids: [operators],
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
  });

  test('switching user creation off drops the user type', async ({ adminPage: page, api }) => {
    const prefix = unique('poutype');
    const userType = await api.post('/user-types', { code: `${prefix}_ut`, name: `${prefix} staff`, quota: 0 });
    const p = await api.post<Provider>('/providers', {
      name: `${prefix}-openid`, type: 'oidc', active: false, allow_user_creation: true, user_type_id: userType.id,
      params: { client_id: 'custos-console', client_secret: 'client-secret-1', external_url: 'https://id.example.test/realms/main' },
    });
    await page.goto(`/providers/${p.id}`);
    const allow = page.getByRole('switch', { name: 'Allow creating new users through external management' });
    await expect(allow).toBeChecked();
    await expect(page.getByLabel('User type')).toBeVisible();
    await allow.click();
    await expect(page.getByLabel('User type')).toHaveCount(0);
    await page.getByTestId(TID.formSave).click();
    await expect(page.getByText('Changes saved', { exact: true })).toBeVisible();
    expect(await getProvider(api, p.id)).toMatchObject({ allow_user_creation: false, user_type_id: null, version: 2 });
  });

  for (const [label, type] of [['OpenID Token', 'oidc_token'], ['OpenID Cookie', 'oidc_cookie']]) {
    test(`${label}: no button caption; client, secret and URL saved`, async ({ adminPage: page, api }) => {
      const prefix = unique('poidt');
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
    });
  }
});

test.describe('External REST, LDAP Kerberos and local', () => {
  test('External REST asks for its URL only', async ({ adminPage: page, api }) => {
    const prefix = unique('prest');
    await openNew(page, 'External REST');
    await page.getByLabel('Name', { exact: true }).fill(`${prefix}-rest`);
    await tab(page, 'Parameters').click();
    await expect(page.getByLabel('IA identifier')).toHaveCount(0);
    await page.getByLabel('External URL').fill('https://rest.example.test/login');
    const restId = await saveAndOpen(page);
    expect(await getProvider(api, restId)).toMatchObject({ type: 'rest', params: { external_url: 'https://rest.example.test/login' } });
  });

  test('LDAP Kerberos points to the reverse proxy and saves without parameters', async ({ adminPage: page, api }) => {
    const prefix = unique('pkrb');
    await openNew(page, 'LDAP Kerberos');
    await page.getByLabel('Name', { exact: true }).fill(`${prefix}-krb`);
    await tab(page, 'Parameters').click();
    await expect(page.getByTestId(TID.providerKerberosNote)).toContainText('reverse proxy');
    await page.screenshot({ path: `${SCREENS}/provider-new-params-kerberos-en.png`, fullPage: true, animations: 'disabled' });
    const krbId = await saveAndOpen(page);
    expect(await getProvider(api, krbId)).toMatchObject({ type: 'ldap_kerberos', active: false, params: {} });
  });

  test('local has no Parameters tab; a second local provider is refused, shown on Type', async ({ adminPage: page, api }) => {
    const prefix = unique('ploc');
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
});

test.describe('LDAP', () => {
  test('defaults follow SSL and the server type; the parameters are stored as typed', async ({ adminPage: page, api }) => {
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
  });

  test('Test connection against the real slapd passes every step of the checklist', async ({ adminPage: page, api }) => {
    const ldap = ldapEnv();
    const p = await api.post<Provider>('/providers', { name: unique('pldapt'), type: 'ldap', active: false, params: ldapParams() });
    await page.goto(`/providers/${p.id}`);
    await expect(page.getByLabel('Name', { exact: true })).toHaveValue(p.name);
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
    const trace = await api.post(`/providers/${p.id}/test`);
    expect(trace.ok).toBe(true);
  });

  test('a dry run turns alice\'s directory entry into a user', async ({ adminPage: page, api }) => {
    const p = await api.post<Provider>('/providers', { name: unique('pldapd'), type: 'ldap', active: false, params: ldapParams() });
    await page.goto(`/providers/${p.id}`);
    await tab(page, 'Schema mapping').click();
    await page.getByTestId(TID.providerDryRun).click();
    const dry = page.getByTestId(TID.providerDryRunDialog);
    await dry.getByRole('textbox', { name: 'LDAP login' }).fill('alice');
    await dry.getByTestId(TID.providerDryRunSubmit).click();
    const result = dry.getByTestId(TID.providerDryRunResult);
    await expect(result).toContainText('alice@custos.test');
    await expect(result).toContainText('Alice Liddell');
    await page.screenshot({ path: `${SCREENS}/provider-dry-run-ldap-en.png`, fullPage: true, animations: 'disabled' });
    expect((await api.post(`/providers/${p.id}/dry-run`, { login: 'alice' })).email).toBe('alice@custos.test');
  });

  test('a wrong bind password: the connection test stops at Bind, failed', async ({ adminPage: page, api }) => {
    const p = await api.post<Provider>('/providers', { name: unique('pldapw'), type: 'ldap', active: false, params: ldapParams() });
    await page.goto(`/providers/${p.id}`);
    await tab(page, 'Parameters').click();
    await expect(page.getByTestId(`${TID.providerBindPassword}-state`)).toContainText('Set');
    await page.getByRole('button', { name: 'Replace' }).click();
    await page.getByLabel('Password', { exact: true }).fill('not-the-password');
    await page.getByTestId(TID.formSave).click();
    await expect(page.getByText('Changes saved', { exact: true })).toBeVisible();
    await page.getByTestId(TID.providerTest).click();
    const dialog = page.getByTestId(TID.providerTestDialog);
    const steps = dialog.getByTestId(TID.providerTestSteps).locator('[data-step]');
    await expect(dialog.getByTestId(TID.providerTestResult)).toHaveText('Connection failed');
    await expect(steps.last()).toContainText('Bind');
    await expect(steps.last()).toHaveAttribute('data-ok', 'false');
    await page.screenshot({ path: `${SCREENS}/provider-test-failed-en.png`, fullPage: true, animations: 'disabled' });
    const failed = await api.post(`/providers/${p.id}/test`);
    expect(failed.ok).toBe(false);
    expect(failed.steps.at(-1).step).toBe('bind');
  });
});
