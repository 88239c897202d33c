import type { Page } from '@playwright/test';
import { Api, expect, test, unique } from '../fixtures';
import { DataTable } from '../pages/DataTable';
import { TID } from '../../frontend/src/testids';

// The tests are independent: they spread over both workers.
test.describe.configure({ mode: 'parallel' });

/** callWithToken makes a request from the page's own JavaScript with the token alone (no cookie). */
async function callWithToken(page: Page, token: string, path = '/api/v1/users?page_size=1') {
  return page.evaluate(
    async ([tok, p]) => {
      const res = await fetch(p, { headers: { Authorization: `Api-Token ${tok}` }, credentials: 'omit' });
      const body = await res.json();
      return { status: res.status, code: body.code as string | undefined };
    },
    [token, path] as const,
  );
}

async function tokenNamed(api: Api, path: string, name: string) {
  const list = await api.get(`${path}?q=${encodeURIComponent(name)}`);
  expect(list.total).toBe(1);
  return list.items[0];
}

test.describe('access tokens', () => {
  test('create, reveal once, copy: the server keeps scope and expiry, never the secret; a reload shows only the prefix', async ({ adminPage: page, api, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const name = unique('ci-');
    await page.goto('/access-tokens');
    await expect(page.getByTestId(TID.pageTitle)).toHaveText('Access tokens');

    await page.getByRole('button', { name: 'Create new token' }).click();
    const dialog = page.getByTestId(TID.tokenCreateDialog);
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByRole('checkbox', { name: /users\.read/ }).check();
    await expect(dialog.getByRole('checkbox', { name: /selfservice/ })).toHaveCount(0);
    await dialog.getByTestId(TID.tokenExpiry).getByText('7 days').click();
    await dialog.getByRole('button', { name: 'Create' }).click();

    const reveal = page.getByTestId(TID.tokenRevealDialog);
    await expect(reveal).toContainText('You will not see it again');
    const token = await reveal.getByTestId(TID.tokenRevealValue).inputValue();
    expect(token).toMatch(/^cst01\.[0-9A-Za-z]{24}\.[0-9A-Za-z]{64}$/);
    await reveal.getByTestId(TID.tokenRevealCopy).click();
    await expect(reveal.getByTestId(TID.tokenRevealCopy)).toHaveText(/Copied/);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await page.screenshot({ path: 'screens/token-reveal-en.png', animations: 'disabled' });
    await reveal.getByRole('button', { name: 'I have copied the token' }).click();
    await expect(reveal).toBeHidden();

    // Server side: the token exists with its scope and expiry; reads never carry the secret.
    const created = await tokenNamed(api, '/tokens', name);
    expect(created.scopes).toEqual(['users.read']);
    expect(created.status).toBe('active');
    expect(token.startsWith(`${created.prefix}.${created.public_id}.`)).toBe(true);
    expect(JSON.stringify(created)).not.toContain(token.split('.')[2]);
    const days = (Date.parse(created.expires_at) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThan(7.1);

    // Shown once: after a reload only prefix and public id are on the page.
    await page.reload();
    const table = new DataTable(page);
    await table.search(name);
    await expect(table.row(name)).toContainText(`${created.prefix}.${created.public_id.slice(0, 8)}…${created.public_id.slice(-4)}`);
    expect(await page.content()).not.toContain(token.split('.')[2]);
  });

  test('the token works from the page within its scope; revoked from the list, the same call is refused at once', async ({ adminPage: page, api }) => {
    const name = unique('use-');
    const created = await api.post('/tokens', { name, scopes: ['users.read'] });
    const token: string = created.token;
    const table = new DataTable(page);
    await page.goto(`/access-tokens?q=${encodeURIComponent(name)}`);
    await expect(table.row(name)).toBeVisible();

    // The page's own fetch with the token alone: allowed by its scope, denied beyond it.
    expect(await callWithToken(page, token)).toEqual({ status: 200, code: undefined });
    expect(await callWithToken(page, token, '/api/v1/audit')).toEqual({ status: 403, code: 'authz.denied' });
    const used = await tokenNamed(api, '/tokens', name);
    expect(used.last_used_at).toBeTruthy();
    expect(used.last_used_ip).toBe('127.0.0.1');

    // Revoke with confirmation: the same call is refused at once.
    await table.row(name).getByTestId(TID.tokenRevoke).click();
    const confirm = page.getByTestId(TID.tokenRevokeConfirm);
    await expect(confirm).toContainText('Every request made with this token will be refused');
    await confirm.getByRole('button', { name: 'Revoke' }).click();
    await expect(table.row(name)).toContainText('Revoked');
    expect(await callWithToken(page, token)).toEqual({ status: 401, code: 'auth.tokenRevoked' });
    expect((await tokenNamed(api, '/tokens', name)).status).toBe('revoked');
    const audit = await api.get(`/audit?resource_id=${created.id}&sort=at&order=asc`);
    expect(audit.items.map((e: { action: string }) => e.action)).toEqual(['create', 'revoke']);
    expect(JSON.stringify(audit)).not.toContain(token.split('.')[2]);
  });

  test('expiring-soon badge, filters, and the page in Russian', async ({ adminPage: page, api }) => {
    const prefix = unique('exp-');
    const soon = new Date(Date.now() + 3 * 86_400_000).toISOString();
    await api.post('/tokens', { name: `${prefix}-soon`, scopes: ['audit.read'], expires_at: soon });
    const later = await api.post('/tokens', { name: `${prefix}-later`, scopes: ['users.read'] });
    await api.post(`/tokens/${later.id}/revoke`);

    const table = new DataTable(page);
    await page.goto(`/access-tokens?q=${prefix}&sort=name&order=asc`);
    await expect(table.rows()).toHaveCount(2);
    await expect(table.row(`${prefix}-soon`).getByTestId(TID.tokenExpiringSoon)).toHaveText(/Expires in [23] d/);
    await expect(table.row(`${prefix}-later`)).toContainText('Revoked');
    await table.selectFilter('status', 'Revoked');
    await expect(page).toHaveURL(/status=revoked/);
    await expect(table.rows()).toHaveCount(1);
    await page.getByTestId(TID.tableClearFilters).click();
    await expect(page).not.toHaveURL(/status=|q=/);
    await table.search(prefix);
    await expect(page).toHaveURL(new RegExp(`q=${prefix}`));
    await expect(table.rows()).toHaveCount(2);
    await page.screenshot({ path: 'screens/access-tokens-en.png', fullPage: true });

    await page.getByTestId(TID.languageSwitch).getByText('Русский').click();
    await expect(page.getByTestId(TID.pageTitle)).toHaveText('Токены доступа');
    await expect(page.getByRole('button', { name: 'Создать новый токен' })).toBeVisible();
    await expect(table.row(`${prefix}-later`)).toContainText('Отозван');
    await expect(table.row(`${prefix}-soon`).getByTestId(TID.tokenExpiringSoon)).toHaveText(/Истекает через [23] дн\./);
    await page.screenshot({ path: 'screens/access-tokens-ru.png', fullPage: true });
    await page.getByRole('button', { name: 'Создать новый токен' }).click();
    await expect(page.getByTestId(TID.tokenCreateDialog)).toContainText('Разрешения');
    await page.screenshot({ path: 'screens/token-create-ru.png', animations: 'disabled' });
    await page.getByTestId(TID.tokenCreateDialog).getByRole('button', { name: 'Отмена' }).click();
    await page.getByTestId(TID.languageSwitch).getByText('English').click();
  });

  test('personal access tokens from the user menu', async ({ adminPage: page, api }) => {
    const name = unique('pat-');
    await page.goto('/');
    await page.getByTestId(TID.userMenu).click();
    await page.getByTestId(TID.userMenuPersonalTokens).click();
    await expect(page).toHaveURL(/\/personal-tokens/);
    await expect(page.getByTestId(TID.pageTitle)).toHaveText('Personal access tokens');

    await page.getByRole('button', { name: 'Create new token' }).click();
    const dialog = page.getByTestId(TID.tokenCreateDialog);
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByRole('checkbox', { name: /selfservice/ }).check();
    await dialog.getByRole('checkbox', { name: /users\.read/ }).check();
    await dialog.getByTestId(TID.tokenExpiry).getByText('No expiry').click();
    await dialog.getByRole('button', { name: 'Create' }).click();
    const reveal = page.getByTestId(TID.tokenRevealDialog);
    const token = await reveal.getByTestId(TID.tokenRevealValue).inputValue();
    expect(token).toMatch(/^csp01\./);
    await page.screenshot({ path: 'screens/personal-token-reveal-en.png', animations: 'disabled' });
    await reveal.getByRole('button', { name: 'I have copied the token' }).click();

    const mine = await tokenNamed(api, '/me/tokens', name);
    expect(mine.kind).toBe('personal');
    expect(mine.expires_at).toBeNull();
    // A personal token acts for its owner: /auth/me names tech_admin with the token's effective scopes.
    const me = await page.evaluate(async (tok) => {
      const r = await fetch('/api/v1/auth/me', { headers: { Authorization: `Api-Token ${tok}` }, credentials: 'omit' });
      return r.json();
    }, token);
    expect(me.user.login).toBe('tech_admin');
    expect(me.permissions).toEqual(['selfservice', 'users.read']);
    await page.getByTestId(TID.languageSwitch).getByText('Русский').click();
    await expect(page.getByTestId(TID.pageTitle)).toHaveText('Токены личного доступа');
    await expect(new DataTable(page).row(name)).toContainText('Бессрочно');
    await page.screenshot({ path: 'screens/personal-tokens-ru.png', fullPage: true });
    await page.getByTestId(TID.languageSwitch).getByText('English').click();
    await api.del(`/me/tokens/${mine.id}`); // personal tokens are limited to 5: leave none behind
    expect(await callWithToken(page, token)).toEqual({ status: 401, code: 'auth.invalidToken' });
  });
});

test.describe('a user\'s personal tokens on the user card', () => {
  test('an administrator sees what the user made and revokes it; the user\'s script is refused at once', async ({ adminPage: page, api, baseURL }) => {
    const login = unique('pat.owner').toLowerCase();
    const ids = [await api.groupId('users'), await api.groupId('auditors')];
    const owner = await api.post('/users', { login, password: 'owner-password-1', group_ids: ids });
    const asOwner = await Api.signIn(baseURL!, login, 'owner-password-1');
    const made = await asOwner.post('/me/tokens', { name: 'nightly export', scopes: ['audit.read'] });
    await asOwner.dispose();
    await page.goto(`/users/${owner.id}`);
    expect(await callWithToken(page, made.token, '/api/v1/audit?page_size=1')).toEqual({ status: 200, code: undefined });

    await page.getByRole('tab', { name: 'Personal access tokens' }).click();
    const table = page.getByTestId(TID.userTokens);
    const row = table.getByRole('row', { name: /nightly export/ });
    await expect(row).toContainText('audit.read');
    await expect(row).toContainText('Active');
    await expect(table).not.toContainText(made.token.split('.')[2]);
    await page.screenshot({ path: 'screens/user-tokens-en.png', fullPage: true });

    await row.getByTestId(TID.tokenRevoke).click();
    const confirm = page.getByTestId(TID.tokenRevokeConfirm);
    await expect(confirm).toContainText('scripts using this token will be refused');
    await confirm.getByRole('button', { name: 'Revoke' }).click();
    await expect(row).toContainText('Revoked');
    expect(await callWithToken(page, made.token, '/api/v1/audit?page_size=1')).toEqual({ status: 401, code: 'auth.tokenRevoked' });

    await page.getByTestId(TID.languageSwitch).getByText('Русский').click();
    await expect(page.getByRole('tab', { name: 'Токены личного доступа' })).toBeVisible();
    await expect(row).toContainText('Отозван');
    await page.screenshot({ path: 'screens/user-tokens-ru.png', fullPage: true });
    await page.getByTestId(TID.languageSwitch).getByText('English').click();
  });
});

test.describe('API explorer', () => {
  test('Swagger UI: Authorize with a token, see the permission an operation needs, call it', async ({ page, api }) => {
    const name = unique('swagger-');
    const created = await api.post('/tokens', { name, scopes: ['users.read'] });
    await page.goto('/api/docs/');
    const users = page.locator('#operations-users-get_users'); // swagger-ui's id: <tag>-<method>_<path>
    await users.locator('.opblock-summary').click();
    await expect(users).toContainText('Required permission: users.read.');

    await page.locator('.auth-wrapper .authorize').click();
    const auth = page.locator('.dialog-ux .auth-container').filter({ hasText: 'ApiToken' });
    await auth.locator('input').fill(created.token);
    await auth.getByRole('button', { name: 'Apply credentials' }).click();
    await auth.getByRole('button', { name: 'Close' }).click();

    await users.getByRole('button', { name: 'Try it out' }).click();
    await users.getByRole('button', { name: 'Execute' }).click();
    await expect(users.locator('.live-responses-table tr.response .response-col_status')).toHaveText('200');
    await page.screenshot({ path: 'screens/swagger-authorize-en.png', fullPage: false, animations: 'disabled' });
    const used = await tokenNamed(api, '/tokens', name);
    expect(used.last_used_at).toBeTruthy();
  });
});
