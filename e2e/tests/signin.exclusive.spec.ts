// Signing in through LDAP with the login form (the slapd of global-setup.ts), and the
// rule of SPEC §5.4 when the local provider is switched off. These change what every
// sign-in sees, so they run in the "exclusive" project after all other tests.
import { Api, expect, ldapParams, signIn, test, unique } from '../fixtures';
import { TID } from '../../frontend/src/testids';

async function submit(page: import('@playwright/test').Page, login: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Login').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

test.describe.configure({ mode: 'serial' });

test.describe('signing in through LDAP and with the local provider off', () => {
  let ldapId = '';
  let localId = '';

  test.beforeAll(async ({ baseURL }) => {
    const api = await Api.signIn(baseURL!);
    const users = await api.groupId('users');
    const p = await api.post('/providers', {
      name: unique('slapd-'), type: 'ldap', active: true, allow_user_creation: true, base_group_ids: [users], params: ldapParams(),
    });
    ldapId = p.id;
    localId = (await api.get('/providers?type=local')).items[0].id;
    await api.dispose();
  });

  test.afterAll(async ({ baseURL }) => {
    const api = await Api.signIn(baseURL!);
    if (localId) await api.setProviderActive(localId, true);
    if (ldapId) await api.setProviderActive(ldapId, false);
    await api.dispose();
  });

  test('a directory user signs in with the login form and gets an LDAP-checked account', async ({ page, api }) => {
    await submit(page, 'bob', 'not-bobs-password');
    await expect(page.getByTestId(TID.loginError)).toHaveText('Invalid login or password.');
    await submit(page, '*)(uid=*', 'bob-password');
    await expect(page.getByTestId(TID.loginError)).toHaveText('Invalid login or password.');
    expect((await api.get('/users?q=bob')).items.filter((u: { login: string }) => u.login === 'bob')).toHaveLength(0);

    await signIn(page, 'bob', 'bob-password');
    const me = await (await page.request.get('/api/v1/auth/me')).json();
    expect(me.user).toMatchObject({ login: 'bob', email: 'bob@custos.test', ldap_precheck: true, source_provider_id: ldapId });
    expect(me.groups.map((g: { code: string }) => g.code)).toEqual(['users']);
    const audit = await api.get('/audit?action=login.success&page_size=20');
    const ev = audit.items.find((e: { resource_name: string }) => e.resource_name === 'bob');
    expect(ev?.diff?.after?.provider_type).toBe('ldap');
  });

  test('with the local provider off the form admits only tech_admin and LDAP-checked accounts', async ({ page, api }) => {
    const login = unique('local-user');
    await api.post('/users', { login, password: 'local-password-1' });
    await api.setProviderActive(localId, false);
    try {
      await submit(page, login, 'local-password-1');
      await expect(page.getByTestId(TID.loginError)).toHaveText(
        "Signing in with a Custos password is switched off. Use your organisation's sign-in button below.",
      );
      await expect(page).toHaveURL(/\/login/);
      const audit = await api.get('/audit?action=login.failure&page_size=20');
      const ev = audit.items.find((e: { resource_name: string }) => e.resource_name === login);
      expect(ev?.diff?.reason).toBe('localProviderInactive');

      await signIn(page, 'alice', 'alice-password'); // LDAP-checked (a new account gets the flag)
      await page.context().clearCookies();
      await signIn(page); // tech_admin
      await expect(page.getByTestId(TID.userMenu)).toContainText('Technical administrator');
    } finally {
      await api.setProviderActive(localId, true);
    }
  });

  test('OpenID Cookie: a first visit signs in silently when the IdP has a session, and shows the login page when not', async ({ browser, api }) => {
    // Only one OpenID Cookie provider may be active: switch off any another spec left on.
    const others = await api.get('/providers?type=oidc_cookie&active=true&page_size=200');
    for (const o of others.items) await api.setProviderActive(o.id, false);
    const params = { client_id: 'custos-e2e', client_secret: 'custos-e2e-secret', external_url: process.env.IDP_URL };
    const label = unique('IdP button ');
    const button = await api.post('/providers', { name: unique('idp-'), type: 'oidc', active: true, button_label: label,
      allow_user_creation: true, params });
    const silent = await api.post('/providers', { name: unique('idp-cookie-'), type: 'oidc_cookie', active: true,
      allow_user_creation: true, params });
    try {
      // Sign in once through the button: the IdP now has a session in this browser.
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      const username = unique('oidc.cookie');
      await page.goto('/login');
      await page.getByRole('link', { name: label }).click();
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password').fill('idp-password');
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect(page).not.toHaveURL(/\/login/);
      // Custos forgets the session; a new tab's first visit comes back signed in without a form.
      await ctx.clearCookies({ name: 'custos_session' });
      const tab = await ctx.newPage();
      await tab.goto('/users');
      // The URL reads /users before the silent round trip starts too: wait for the signed-in shell.
      await expect(tab.getByTestId(TID.userMenu)).toBeVisible({ timeout: 20_000 });
      await expect(tab).toHaveURL(/\/users$/);
      const me = await (await tab.request.get('/api/v1/auth/me')).json();
      expect(me.user.login).toBe(username.toLowerCase());
      await ctx.close();

      // No session at the IdP (login_required): the login page, with next, and no loop.
      const fresh = await browser.newContext();
      const p2 = await fresh.newPage();
      await p2.goto('/users');
      await expect(p2).toHaveURL(/\/login\?next=%2Fusers$/);
      await expect(p2.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
      await expect(p2.getByTestId(TID.loginError)).toHaveCount(0);
      await fresh.close();
    } finally {
      await api.setProviderActive(silent.id, false);
      await api.setProviderActive(button.id, false);
    }
  });
});
