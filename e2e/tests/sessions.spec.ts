// Sessions (SPEC §2.1): sign out everywhere, changing your own password, an
// administrator's End sessions on the user card, and Remember me on the login form.
import type { Browser, Page } from '@playwright/test';
import { Api, expect, signIn, test, unique } from '../fixtures';
import { TID } from '../../frontend/src/testids';

const SCREENS = 'screens';
const PASSWORD = 'Birch-lake-71';

/** seedPerson creates a self-service user with a password, through the API. */
async function seedPerson(api: Api, password = PASSWORD) {
  const login = unique('e2e-sess');
  const u = await api.post('/users', { login, password, active: true, group_ids: [await api.groupId('users')] });
  return { id: u.id as string, login, password };
}

/** signedIn tells whether the browser of page still holds a live session, as the server sees it. */
async function signedIn(page: Page): Promise<boolean> {
  const res = await page.request.get('/api/v1/auth/me');
  expect([200, 401]).toContain(res.status());
  return res.status() === 200;
}

/** otherBrowser signs the person in from a separate browser context (another device);
 * through the API on that context, so its cookies land there without rendering the login page. */
async function otherBrowser(browser: Browser, baseURL: string, login: string, password: string): Promise<Page> {
  const ctx = await browser.newContext({ baseURL });
  const page = await ctx.newPage();
  const res = await page.request.post('/api/v1/auth/login', { data: { login, password } });
  expect(res.status(), await res.text()).toBe(200);
  return page;
}

async function openUserMenu(page: Page) {
  await page.getByTestId(TID.userMenu).click();
  await expect(page.getByTestId(TID.userMenuSignOutEverywhere)).toBeVisible();
}

test('Sign out everywhere ends the session of another browser too', async ({ page, browser, baseURL, api }) => {
  const person = await seedPerson(api);
  await signIn(page, person.login, person.password);
  const phone = await otherBrowser(browser, baseURL!, person.login, person.password);
  expect(await signedIn(phone)).toBe(true);

  await openUserMenu(page);
  await page.getByTestId(TID.userMenuSignOutEverywhere).click();
  const confirm = page.getByTestId(TID.signOutEverywhereConfirm);
  await expect(confirm).toContainText('this one included');
  await confirm.getByRole('button', { name: 'Sign out everywhere' }).click();

  await expect(page).toHaveURL(/\/login/);
  expect(await signedIn(page)).toBe(false);
  expect(await signedIn(phone)).toBe(false);
  await phone.goto('/personal-tokens');
  await expect(phone).toHaveURL(/\/login/);
  const events = await api.get(`/audit?action=logout.all&resource_id=${person.id}`);
  expect(events.total).toBe(1);
  expect(events.items[0].diff.after.sessions_ended).toBe(2);
  await phone.context().close();
});

test('Change password keeps this browser signed in and signs the others out', async ({ page, baseURL, api }) => {
  const person = await seedPerson(api);
  const fresh = 'Cedar-river-84';
  await signIn(page, person.login, person.password);
  const phone = await Api.signIn(baseURL!, person.login, person.password); // another device

  await page.getByTestId(TID.userMenu).click();
  await page.getByTestId(TID.userMenuChangePassword).click();
  const dialog = page.getByTestId(TID.changePasswordDialog);
  await dialog.getByLabel('Current password').fill('not-my-password');
  await dialog.getByLabel('New password', { exact: true }).fill(fresh);
  await dialog.getByLabel('Repeat the new password').fill(fresh);
  await dialog.getByRole('button', { name: 'Change password' }).click();
  await expect(dialog.getByText('Wrong password')).toBeVisible(); // the server's field error, on its field
  await phone.call('GET', '/auth/me', undefined, [200]);

  await dialog.getByLabel('Current password').fill(person.password);
  await dialog.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Password changed. Your other sessions were signed out.')).toBeVisible();
  await expect(dialog.getByRole('dialog')).toBeHidden();

  expect(await signedIn(page)).toBe(true);
  await phone.call('GET', '/auth/me', undefined, [401]);
  const events = await api.get(`/audit?action=password.change&resource_id=${person.id}`);
  expect(events.items[0].diff.after.sessions_ended).toBe(1);
  const failures = await api.get(`/audit?action=login.failure&resource_id=${person.id}`);
  expect(failures.items[0].diff.reason).toBe('wrongCurrentPassword'); // counted like a failed sign-in
  await phone.dispose();
});

test('End sessions on the user card signs the user out everywhere', async ({ adminPage: page, baseURL, api }) => {
  const person = await seedPerson(api);
  const laptop = await Api.signIn(baseURL!, person.login, person.password);
  const phone = await Api.signIn(baseURL!, person.login, person.password);

  await page.goto(`/users/${person.id}`);
  await page.getByRole('tab', { name: 'Sessions' }).click();
  const table = page.getByTestId(TID.userSessions);
  await expect(table.locator('tbody tr')).toHaveCount(2);
  await page.getByTestId(TID.userSessionsEnd).click();
  const confirm = page.getByTestId(TID.userSessionsEndConfirm);
  await expect(confirm).toContainText(person.login);
  await confirm.getByRole('button', { name: 'End sessions' }).click();
  await expect(page.getByText('Sessions ended: 2')).toBeVisible();
  await expect(table).toContainText('No open sessions');

  await laptop.call('GET', '/auth/me', undefined, [401]);
  await phone.call('GET', '/auth/me', undefined, [401]);
  const open = await api.get(`/users/${person.id}/sessions`);
  expect(open.total).toBe(0);
  const events = await api.get(`/audit?action=sessions.end&resource_id=${person.id}`);
  expect(events.items[0].diff.after.sessions_ended).toBe(2);
  await Promise.all([laptop.dispose(), phone.dispose()]);
});

test('Remember me makes the session cookie outlive the browser', async ({ page, api }) => {
  const person = await seedPerson(api);
  const sessionCookie = async () => (await page.context().cookies()).find((c) => c.name === 'custos_session');

  await signIn(page, person.login, person.password);
  expect((await sessionCookie())?.expires, 'without Remember me: a browser-session cookie').toBe(-1);
  await page.context().clearCookies();

  await page.goto('/login');
  await page.getByLabel('Login').fill(person.login);
  await page.getByLabel('Password').fill(person.password);
  await page.getByTestId(TID.loginRememberMe).check();
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).not.toHaveURL(/\/login/);
  const ck = await sessionCookie();
  expect(ck?.expires, 'with Remember me: a cookie with an expiry').toBeGreaterThan(Date.now() / 1000 + 3600);
});

for (const lang of ['en', 'ru'] as const) {
  test(`screens (${lang}): the Sessions tab, the user menu and the change-password dialog`, async ({ adminPage: page, api }) => {
    const me = await api.get('/auth/me');
    await page.goto(`/users/${me.user.id}`);
    if (lang === 'ru') await page.getByTestId(TID.languageSwitch).getByText('Русский').click();
    await page.getByRole('tab', { name: lang === 'en' ? 'Sessions' : 'Сеансы' }).click();
    // tech_admin has sessions of other tests too; the one of this browser is marked.
    await expect(page.getByTestId(TID.userSessions)).toContainText(lang === 'en' ? 'this session' : 'этот сеанс');
    await page.screenshot({ path: `${SCREENS}/sessions-tab-${lang}.png`, fullPage: true, animations: 'disabled' });

    await openUserMenu(page);
    await page.screenshot({ path: `${SCREENS}/user-menu-${lang}.png`, animations: 'disabled' });
    await page.getByTestId(TID.userMenuChangePassword).click();
    await expect(page.getByTestId(TID.changePasswordDialog).getByRole('dialog')).toBeVisible();
    await page.screenshot({ path: `${SCREENS}/change-password-${lang}.png`, animations: 'disabled' });
  });
}
