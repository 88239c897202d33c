// A second factor (issue 16): a person sets up an authenticator app on the Security page
// from the key shown as text, then signs in with password + code, and with a recovery code.
// Codes are computed here from the key (fixtures/totp.ts), as the app would.
import type { Page } from '@playwright/test';
import { expect, test, unique } from '../fixtures';
import { expectAccessible } from '../fixtures/a11y';
import { totp } from '../fixtures/totp';
import { TID } from '../../frontend/src/testids';
import { en } from '../../frontend/src/i18n/en';
import { ru } from '../../frontend/src/i18n/ru';

const SCREENS = 'screens';
const PASSWORD = 'Birch-lake-71';

async function passwordStep(page: Page, L: typeof en, login: string) {
  await page.goto('/login');
  await page.getByLabel(L.login.login, { exact: true }).fill(login);
  await page.getByLabel(L.login.password, { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: L.login.submit, exact: true }).click();
  await expect(page.getByTestId(TID.loginSecondFactor)).toBeVisible();
}

async function signOut(page: Page) {
  await page.getByTestId(TID.userMenu).click();
  await page.getByTestId(TID.userMenuSignOut).click();
  await expect(page).toHaveURL(/\/login/);
}

for (const [lang, L] of Object.entries({ en, ru }) as ['en' | 'ru', typeof en][]) {
  test(`an authenticator app set up on the Security page is asked for at sign-in (${lang})`, async ({ page, api }) => {
    await page.addInitScript((l) => window.localStorage.setItem('custos.lang', l), lang);
    const login = unique('e2e-totp');
    const user = await api.post('/users', { login, password: PASSWORD, active: true, group_ids: [await api.groupId('users')] });

    // Sign in with the password alone and set the app up from the key shown as text.
    await page.goto('/login');
    await page.getByLabel(L.login.login, { exact: true }).fill(login);
    await page.getByLabel(L.login.password, { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: L.login.submit, exact: true }).click();
    await expect(page).not.toHaveURL(/\/login/);
    await page.getByTestId(TID.userMenu).click();
    await page.getByTestId(TID.userMenuSecurity).click();
    await expect(page.getByTestId(TID.securityTotpStatus)).toHaveText(L.security.statusOff);
    await page.getByRole('button', { name: L.security.setUp }).click();
    const key = (await page.getByTestId(TID.securityTotpSecret).innerText()).replace(/\s/g, '');
    expect(key).toMatch(/^[A-Z2-7]{32}$/);
    await expect(page.getByTestId(TID.securityTotpQr)).toBeVisible();
    await expectAccessible(page, 'security-enrol in ' + lang);
    await page.screenshot({ path: `${SCREENS}/security-enrol-${lang}.png`, fullPage: true, animations: 'disabled' });
    await page.getByLabel(L.security.code).fill(totp(key));
    await page.getByRole('button', { name: L.security.confirm, exact: true }).click();

    // The recovery codes, shown once.
    const list = page.getByTestId(TID.securityRecoveryCodes);
    await expect(list.getByRole('listitem')).toHaveCount(10);
    const codes = (await list.getByRole('listitem').allInnerTexts()).map((c) => c.trim());
    await expectAccessible(page, 'security-codes in ' + lang);
    await page.screenshot({ path: `${SCREENS}/security-codes-${lang}.png`, fullPage: true, animations: 'disabled' });
    await page.getByRole('button', { name: L.security.saved }).click();
    await expect(page.getByTestId(TID.securityTotpStatus)).toHaveText(L.security.statusOn);
    await expectAccessible(page, 'security-on in ' + lang);
    await page.screenshot({ path: `${SCREENS}/security-on-${lang}.png`, fullPage: true, animations: 'disabled' });

    // Password, then the next code (the one the set-up used is spent).
    await signOut(page);
    await passwordStep(page, L, login);
    expect((await page.request.get('/api/v1/auth/me')).status(), 'no session before the code').toBe(401);
    await expectAccessible(page, 'login-second-factor in ' + lang);
    await page.screenshot({ path: `${SCREENS}/login-second-factor-${lang}.png`, animations: 'disabled' });
    await page.getByTestId(TID.loginCode).fill(totp(key, 1));
    await page.getByTestId(TID.loginVerify).click();
    await expect(page).not.toHaveURL(/\/login/);
    expect((await page.request.get('/api/v1/auth/me')).status()).toBe(200);

    // Password, then a recovery code.
    await signOut(page);
    await passwordStep(page, L, login);
    await page.getByRole('button', { name: L.login.useRecoveryCode }).click();
    await page.getByTestId(TID.loginCode).fill(codes[0]);
    await expectAccessible(page, 'login-recovery-code in ' + lang);
    await page.screenshot({ path: `${SCREENS}/login-recovery-code-${lang}.png`, animations: 'disabled' });
    await page.getByTestId(TID.loginVerify).click();
    await expect(page).not.toHaveURL(/\/login/);
    const factors = await (await page.request.get('/api/v1/me/factors')).json();
    expect(factors).toMatchObject({ totp: true, recovery_codes_left: 9 });

    const events = await api.get(`/audit?action=login.success&resource_id=${user.id}&page_size=50`);
    const how = events.items.map((e: { diff: { after: { second_factor?: string } } }) => e.diff.after.second_factor);
    expect(how).toEqual(expect.arrayContaining(['totp', 'recovery_code']));
    expect(JSON.stringify(events)).not.toContain(key);
  });
}

// Guessing codes is throttled like guessing passwords: after CUSTOS_LOGIN_MAX_FAILURES
// (5) wrong codes the step answers «too many attempts», and even the right code waits.
for (const [lang, L] of Object.entries({ en, ru }) as ['en' | 'ru', typeof en][]) {
  test(`wrong codes lock the sign-in out like wrong passwords (${lang})`, async ({ page, api }) => {
    await page.addInitScript((l) => window.localStorage.setItem('custos.lang', l), lang);
    const login = unique('e2e-totp-guess');
    const user = await api.post('/users', { login, password: PASSWORD, active: true, group_ids: [await api.groupId('users')] });
    // The person's own session (the page's cookie jar) sets the app up through the API.
    expect((await page.request.post('/api/v1/auth/login', { data: { login, password: PASSWORD } })).status()).toBe(200);
    const csrf = (await page.context().cookies()).find((c) => c.name === 'custos_csrf')?.value ?? '';
    const headers = { 'X-CSRF-Token': csrf };
    const begin = await page.request.post('/api/v1/me/factors/totp', { headers });
    expect(begin.status()).toBe(200);
    const key = (await begin.json()).secret as string;
    expect((await page.request.post('/api/v1/me/factors/totp/confirm', { headers, data: { code: totp(key) } })).status()).toBe(200);
    expect((await page.request.post('/api/v1/auth/logout', { headers })).status()).toBeLessThan(300);

    await passwordStep(page, L, login);
    const wrong = (n: number) => String((Number(totp(key)) + 500000 + n) % 1000000).padStart(6, '0');
    const error = page.getByTestId(TID.loginError);
    // Each answer is awaited, so the sixth attempt is counted after the fifth.
    const verify = async (code: string) => {
      await page.getByTestId(TID.loginCode).fill(code);
      const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login/second-factor'));
      await page.getByTestId(TID.loginVerify).click();
      return (await answer).status();
    };
    for (let i = 0; i < 5; i++) {
      expect(await verify(wrong(i))).toBe(401);
      await expect(error).toHaveText(L.login.invalidCode);
    }
    expect(await verify(totp(key, 1)), 'the right code waits too').toBe(429);
    await expect(error).toContainText(L.login.tooManyAttempts.split('.')[0]);
    await expect(page).toHaveURL(/\/login/);
    expect((await page.request.get('/api/v1/auth/me')).status(), 'no session').toBe(401);
    await page.screenshot({ path: `${SCREENS}/login-totp-locked-${lang}.png`, animations: 'disabled' });
    const refused = await api.get(`/audit?action=login.failure&resource_id=${user.id}&page_size=50`);
    expect(refused.items.length).toBeGreaterThanOrEqual(5);
  });
}
