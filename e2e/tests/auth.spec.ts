import { ADMIN, Api, expect, signIn, test, unique } from '../fixtures';
import { TID } from '../../frontend/src/testids';

// The tests are independent: they spread over both workers.
test.describe.configure({ mode: 'parallel' });

test.describe('signing in and out', () => {
  test('tech_admin signs in, sees the sections, signs out and is sent back to the login page', async ({ page, api }) => {
    await signIn(page);
    await expect(page.getByTestId(TID.sideNav).getByRole('link', { name: 'Users' })).toBeVisible();
    await expect(page.getByTestId(TID.userMenu)).toContainText('Technical administrator');

    await page.getByTestId(TID.userMenu).click();
    await page.getByTestId(TID.userMenuSignOut).click();
    await expect(page).toHaveURL(/\/login/);

    // The session is gone on the server: the SPA's next API call is unauthenticated.
    const me = await page.request.get('/api/v1/auth/me');
    expect(me.status()).toBe(401);
    // Visiting a section now asks to sign in again and remembers where we were going.
    await page.goto('/users');
    await expect(page).toHaveURL(/\/login\?next=%2Fusers/);

    // The audit log saw both the sign-in and the sign-out of tech_admin.
    const events = await api.get(`/audit?actor=${ADMIN.login}&action=logout&page_size=5`);
    expect(events.total).toBeGreaterThan(0);
  });

  test('a wrong password shows the message, and unknown users get the very same one', async ({ page }) => {
    await page.goto('/login');
    await page.getByLabel('Login').fill(ADMIN.login);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByTestId(TID.loginError)).toHaveText('Invalid login or password.');
    await expect(page).toHaveURL(/\/login/);

    await page.getByLabel('Login').fill(unique('nobody'));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByTestId(TID.loginError)).toHaveText('Invalid login or password.');
  });

  test('a user created through the API signs in with the password set for them', async ({ page, api }) => {
    const login = unique('e2e-user');
    await api.post('/users', { login, email: `${login}@example.test`, display_name: 'E2E User', password: 'a-long-password-1', active: true });
    await signIn(page, login, 'a-long-password-1');
    // An account without permissions sees no sections rather than a broken page.
    await expect(page.getByText('There are no sections available to you.')).toBeVisible();
    const users = await api.get(`/users?q=${login}`);
    expect(users.items[0].last_login_at).toBeTruthy();
  });
});

test.describe('language', () => {
  test('switching to Russian translates the shell and tables, and is remembered after reload', async ({ adminPage: page }) => {
    await page.goto('/users');
    await expect(page.getByTestId(TID.pageTitle)).toHaveText('Users');
    await page.getByTestId(TID.languageSwitch).getByText('Русский').click();
    await expect(page.getByTestId(TID.pageTitle)).toHaveText('Пользователи');
    await expect(page.getByTestId(TID.sideNav).getByRole('link', { name: 'Группы' })).toBeVisible();
    await expect(page.getByTestId(TID.tableShownRange)).toContainText('Показано');
    await expect(page.getByTestId(TID.tableAdd)).toHaveText(/Добавить/);

    await page.reload();
    await expect(page.getByTestId(TID.pageTitle)).toHaveText('Пользователи');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ru');

    await page.getByTestId(TID.languageSwitch).getByText('English').click();
    await expect(page.getByTestId(TID.pageTitle)).toHaveText('Users');
  });

  test('the login page speaks Russian too', async ({ page }) => {
    await page.goto('/login');
    await page.getByTestId(TID.languageSwitch).getByText('Русский').click();
    await expect(page.getByText('Вход в консоль администрирования')).toBeVisible();
    await page.getByLabel('Логин').fill(ADMIN.login);
    await page.getByLabel('Пароль').fill('wrong-password');
    await page.getByRole('button', { name: 'Войти', exact: true }).click();
    await expect(page.getByTestId(TID.loginError)).toHaveText('Неверный логин или пароль.');
    await page.screenshot({ path: 'screens/login-ru.png', fullPage: true });
  });
});

test('the API refuses state changes without the CSRF header, even when signed in', async ({ baseURL }) => {
  const api = await Api.signIn(baseURL!);
  const ctx = (api as unknown as { ctx: import('@playwright/test').APIRequestContext }).ctx;
  const res = await ctx.post('/api/v1/groups', { data: { code: unique('g'), name: 'no csrf', permissions: [] } });
  expect(res.status()).toBe(403);
  expect((await res.json()).code).toBe('auth.csrf');
  await api.dispose();
});
