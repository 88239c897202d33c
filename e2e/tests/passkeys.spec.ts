// Passkeys (issue 16): a person registers a passkey on the Security page with Chromium's
// virtual authenticator (the CDP WebAuthn domain), then signs in with password + passkey,
// and without a password. A relying party id must be a domain, never an IP address, so
// this spec opens the console as localhost (the rest of the suite uses 127.0.0.1).
import type { Page } from '@playwright/test';
import { expect, test, unique } from '../fixtures';
import { expectAccessible } from '../fixtures/a11y';
import { baseURL } from '../playwright.config';
import { TID } from '../../frontend/src/testids';
import { en } from '../../frontend/src/i18n/en';
import { ru } from '../../frontend/src/i18n/ru';

const SCREENS = 'screens';
const PASSWORD = 'Birch-lake-72';
const LOCAL = baseURL.replace('127.0.0.1', 'localhost');

const OPTIONS = { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true } as const;

/** virtualAuthenticator attaches a platform authenticator that keeps discoverable credentials. */
async function virtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', { options: OPTIONS });
  return { cdp, authenticatorId };
}

async function signOut(page: Page) {
  await page.getByTestId(TID.userMenu).click();
  await page.getByTestId(TID.userMenuSignOut).click();
  await expect(page).toHaveURL(/\/login/);
}

async function status(page: Page) {
  return (await page.request.get(`${LOCAL}/api/v1/auth/me`)).status();
}

type L = typeof en;

/** passwordSignIn signs in with the password alone and opens the Security page's passkeys card. */
async function passwordSignIn(page: Page, L: L, login: string) {
  await page.goto(`${LOCAL}/login`);
  await page.getByLabel(L.login.login, { exact: true }).fill(login);
  await page.getByLabel(L.login.password, { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: L.login.submit, exact: true }).click();
  await expect(page).not.toHaveURL(/\/login/);
  await page.getByTestId(TID.userMenu).click();
  await page.getByTestId(TID.userMenuSecurity).click();
  const card = page.getByTestId(TID.securityPasskeys);
  await expect(card.getByText(L.security.passkeysNone)).toBeVisible();
  const add = async (name: string) => {
    await card.getByTestId(TID.securityPasskeyName).fill(name);
    await card.getByTestId(TID.securityPasskeyAdd).click();
    await expect(card.getByText(name, { exact: true })).toBeVisible();
  };
  return { card, add };
}

for (const [lang, L] of Object.entries({ en, ru }) as ['en' | 'ru', L][]) {
  test(`passkeys are registered, renamed and removed on the Security page (${lang})`, async ({ page, api }) => {
    await page.addInitScript((l) => window.localStorage.setItem('custos.lang', l), lang);
    const { cdp, authenticatorId } = await virtualAuthenticator(page);
    const login = unique('e2e-passkey');
    const user = await api.post('/users', { login, password: PASSWORD, active: true, group_ids: [await api.groupId('users')] });
    const { card, add } = await passwordSignIn(page, L, login);
    await add('Laptop');
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0].isResidentCredential).toBe(true);
    // One authenticator holds one passkey per account (the options exclude the ones
    // registered), so the spare one comes from a second authenticator, plugged in alone.
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
    const spare = await cdp.send('WebAuthn.addVirtualAuthenticator', { options: OPTIONS });
    await add('Spare');
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: spare.authenticatorId });

    // Rename, and remove the spare one.
    await card.getByRole('button', { name: `${L.security.passkeyRename} Laptop` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(L.security.passkeyName).fill('Work laptop');
    await dialog.getByRole('button', { name: L.security.save }).click();
    await expect(card.getByText('Work laptop', { exact: true })).toBeVisible();
    await card.getByRole('button', { name: `${L.security.passkeyRemove} Spare` }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: L.security.passkeyRemove }).click();
    await expect(card.getByText('Spare', { exact: true })).toHaveCount(0);
    await expect(card.getByText(L.security.passkeyNeverUsed, { exact: false })).toBeVisible();
    // The card, not the page: the removal's notification may still be fading in at the
    // corner, and axe reads its colours of the moment (1.8:1 once, in CI).
    await expectAccessible(page, 'security-passkeys in ' + lang, `[data-testid="${TID.securityPasskeys}"]`);
    await page.screenshot({ path: `${SCREENS}/security-passkeys-${lang}.png`, fullPage: true, animations: 'disabled' });
    const removed = await api.get(`/audit?action=passkey.remove&resource_id=${user.id}`);
    expect(removed.items).toHaveLength(1);
  });

  test(`a passkey signs in after the password and without it (${lang})`, async ({ page, api }) => {
    await page.addInitScript((l) => window.localStorage.setItem('custos.lang', l), lang);
    const { cdp, authenticatorId } = await virtualAuthenticator(page);
    const login = unique('e2e-passkey');
    const user = await api.post('/users', { login, password: PASSWORD, active: true, group_ids: [await api.groupId('users')] });
    const { add } = await passwordSignIn(page, L, login);
    await add('Laptop');

    // Password, then the passkey.
    await signOut(page);
    await page.getByLabel(L.login.login, { exact: true }).fill(login);
    await page.getByLabel(L.login.password, { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: L.login.submit, exact: true }).click();
    await expect(page.getByTestId(TID.loginSecondFactor)).toBeVisible();
    await expect(page.getByText(L.login.passkeyTitle)).toBeVisible();
    expect(await status(page), 'no session before the passkey').toBe(401);
    await expectAccessible(page, 'login-passkey-step in ' + lang);
    await page.screenshot({ path: `${SCREENS}/login-passkey-step-${lang}.png`, animations: 'disabled' });
    await page.getByTestId(TID.loginUsePasskey).click();
    await expect(page).not.toHaveURL(/\/login/);
    expect(await status(page)).toBe(200);

    // Without a password: the discoverable credential names the account.
    await signOut(page);
    await expect(page.getByTestId(TID.loginPasskey)).toHaveText(L.login.signInWithPasskey);
    await expectAccessible(page, 'login-passkey in ' + lang);
    await page.screenshot({ path: `${SCREENS}/login-passkey-${lang}.png`, animations: 'disabled' });
    await page.getByTestId(TID.loginPasskey).click();
    await expect(page).not.toHaveURL(/\/login/);
    expect(await status(page)).toBe(200);
    const me = await (await page.request.get(`${LOCAL}/api/v1/auth/me`)).json();
    expect(me.user.login).toBe(login);

    // The audit log tells how each sign-in was made; the passkey's use is counted.
    const events = await api.get(`/audit?action=login.success&resource_id=${user.id}&page_size=50`);
    const after = events.items.map((e: { diff: { after: { provider?: string; second_factor?: string } } }) => e.diff.after);
    expect(after.map((a: { provider?: string }) => a.provider)).toContain('passkey');
    expect(after.map((a: { second_factor?: string }) => a.second_factor)).toContain('webauthn');
    const [left] = (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
    expect(left.signCount).toBeGreaterThan(0);
  });
}
