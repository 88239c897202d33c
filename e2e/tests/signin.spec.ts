// Signing in through an OpenID provider: a real one (oidc-provider, started by
// idp-setup.ts), its own login page, back into Custos with the account provisioned.
import { ADMIN, expect, test, unique, type Api } from '../fixtures';
import { DataTable } from '../pages/DataTable';
import { TID } from '../../frontend/src/testids';

// The tests are independent: they spread over both workers.
test.describe.configure({ mode: 'parallel' });

const IDP = { clientId: 'custos-e2e', secret: 'custos-e2e-secret', password: 'idp-password' };

/** openIdProvider creates an active oidc provider on the test IdP and returns its id and button label. */
async function openIdProvider(api: Api, over: Record<string, unknown> = {}) {
  const label = unique('Sign in with IdP ');
  const p = await api.post('/providers', {
    name: unique('idp-'),
    type: 'oidc',
    active: true,
    button_label: label,
    params: { client_id: IDP.clientId, client_secret: IDP.secret, external_url: process.env.IDP_URL },
    ...over,
  });
  return { id: p.id as string, label, version: p.version as number };
}

test.describe('signing in through an OpenID provider', () => {
  test('the provider button leads through the IdP login page back into Custos, and the new account is provisioned', async ({ page, api, browser }) => {
    const users = await api.groupId('users');
    const p = await openIdProvider(api, { allow_user_creation: true, base_group_ids: [users] });
    const username = unique('oidc.user');
    try {
      await page.goto('/login?next=%2Faudit');
      await expect(page.getByTestId(TID.loginProviders)).toBeVisible();
      await page.getByRole('link', { name: p.label }).click();

      // The identity provider's own login page.
      await expect(page.getByRole('heading', { name: 'Test identity provider' })).toBeVisible();
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password').fill(IDP.password);
      await page.getByRole('button', { name: 'Continue' }).click();

      // Back in Custos, signed in as the new account.
      await expect(page).toHaveURL(/\/audit$/);
      await expect(page.getByTestId(TID.userMenu)).toContainText(`IdP ${username}`);
      const me = await page.request.get('/api/v1/auth/me');
      expect(me.status()).toBe(200);
      const body = await me.json();
      expect(body.user.login).toBe(username.toLowerCase());
      expect(body.groups.map((g: { code: string }) => g.code).sort()).toEqual(['operators', 'users']);

      // The administrator sees the provisioned account in the users table.
      const admin = await browser.newPage();
      try {
        expect((await admin.request.post('/api/v1/auth/login', { data: ADMIN })).status()).toBe(200);
        await admin.goto(`/users?q=${encodeURIComponent(username.toLowerCase())}`);
        const row = new DataTable(admin).row(username.toLowerCase());
        // A cold browser context loads the whole console first: at load 12 that took over 10 s.
        await expect(row).toBeVisible({ timeout: 20_000 });
        await expect(row).toContainText(`${username.toLowerCase()}@idp.test`);
      } finally {
        await admin.close();
      }
      const listed = await api.get(`/users?q=${encodeURIComponent(username.toLowerCase())}`);
      expect(listed.total).toBe(1);
      expect(listed.items[0]).toMatchObject({ email: `${username.toLowerCase()}@idp.test`, source_provider_id: p.id, active: true });
      const audit = await api.get('/audit?action=login.success&page_size=50');
      expect(audit.items.some((e: { resource_name: string }) => e.resource_name === username.toLowerCase())).toBe(true);
    } finally {
      await api.setProviderActive(p.id, false);
    }
  });

  test('an unknown user is refused with the seed\'s message when the provider may not create accounts', async ({ page, api }) => {
    const p = await openIdProvider(api); // allow_user_creation off
    const username = unique('oidc.stranger');
    try {
      await page.goto('/login');
      await page.getByRole('link', { name: p.label }).click();
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password').fill(IDP.password);
      await page.getByRole('button', { name: 'Continue' }).click();

      await expect(page).toHaveURL(/\/login\?error=signin\.accountNotProvisioned/);
      await expect(page.getByTestId(TID.loginError)).toHaveText(
        'No account has been created for the user named in the request. Please contact the System Administrator.',
      );
      await expect(page.getByRole('link', { name: p.label })).toBeVisible(); // the button stays offered
      await page.screenshot({ path: 'screens/login-refusal-en.png', fullPage: true });
      await page.getByTestId(TID.languageSwitch).getByText('Русский').click();
      await expect(page.getByTestId(TID.loginError)).toHaveText(
        'Для указанного в запросе пользователя не создана учетная запись. Необходимо обратиться к Администратору Системы.',
      );
      await page.screenshot({ path: 'screens/login-refusal-ru.png', fullPage: true });
      const listed = await api.get(`/users?q=${encodeURIComponent(username.toLowerCase())}`);
      expect(listed.total).toBe(0);
      const audit = await api.get('/audit?action=login.failure&page_size=50');
      const ev = audit.items.find((e: { resource_name: string }) => e.resource_name === username.toLowerCase());
      expect(ev?.diff?.reason).toBe('signin.accountNotProvisioned');
    } finally {
      await api.setProviderActive(p.id, false);
    }
  });
});
