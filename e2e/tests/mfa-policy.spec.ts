// The second-factor policy (issue 16, item 3): an administrator makes a group require a
// second factor; a member inside the grace period is warned across the console (not
// blocked), and a member past it may only set one up (TOTP from the key shown as text),
// after which the console opens as usual.
import type { Browser, Page } from '@playwright/test';
import { expect, test, unique } from '../fixtures';
import { expectAccessible } from '../fixtures/a11y';
import { totp } from '../fixtures/totp';
import { TID } from '../../frontend/src/testids';
import { en } from '../../frontend/src/i18n/en';
import { ru } from '../../frontend/src/i18n/ru';

const SCREENS = 'screens';
const PASSWORD = 'Aspen-ridge-42';

/** memberPage signs login in through the form in a browser context of its own, in lang. */
async function memberPage(browser: Browser, lang: string, L: typeof en, login: string): Promise<Page> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.addInitScript((l) => window.localStorage.setItem('custos.lang', l), lang);
  await page.goto('/login');
  await page.getByLabel(L.login.login, { exact: true }).fill(login);
  await page.getByLabel(L.login.password, { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: L.login.submit, exact: true }).click();
  await expect(page).not.toHaveURL(/\/login/);
  return page;
}

for (const [lang, L] of Object.entries({ en, ru }) as ['en' | 'ru', typeof en][]) {
  test(`an administrator makes a group require a second factor in its form (${lang})`, async ({ adminPage, api }) => {
    await adminPage.addInitScript((l) => window.localStorage.setItem('custos.lang', l), lang);
    const code = unique('e2e_policy');
    const group = await api.post('/groups', { code, name: `Policy ${code}`, permissions: ['users.read'] });
    expect(group.second_factor_required).toBe(false);

    await adminPage.goto(`/groups/${group.id}`);
    const sw = adminPage.getByRole('switch', { name: L.factorPolicy.groupRequired });
    await expect(sw).not.toBeChecked();
    await sw.click();
    await expect(sw).toBeChecked();
    await expect(adminPage.getByRole('spinbutton', { name: L.factorPolicy.groupGraceDays })).toHaveValue('7');
    await expectAccessible(adminPage, 'group-policy in ' + lang);
    await adminPage.screenshot({ path: `${SCREENS}/group-factor-policy-${lang}.png`, fullPage: true, animations: 'disabled' });
    await adminPage.getByTestId(TID.formSave).click();
    await expect.poll(async () => (await api.get(`/groups/${group.id}`)).second_factor_required).toBe(true);
    const events = await api.get(`/audit?resource_type=group&resource_id=${group.id}&action=update`);
    expect(events.items[0].diff.after.second_factor_required).toBe(true);
  });

  test(`a member inside the grace is warned across the console, not blocked (${lang})`, async ({ api, browser }) => {
    const code = unique('e2e_policy7');
    const group = await api.post('/groups', { code, name: `Policy ${code}`, permissions: ['users.read'],
      second_factor_required: true, second_factor_grace_days: 7 });
    const login = unique('e2e-grace');
    await api.post('/users', { login, password: PASSWORD, active: true, group_ids: [group.id] });

    const page = await memberPage(browser, lang, L, login);
    const banner = page.getByRole('alert').filter({ hasText: L.factorPolicy.banner.split('{{')[0].trim() });
    await expect(banner).toBeVisible();
    await expect(page.getByTestId(TID.sideNav)).toBeVisible();
    const me = await (await page.request.get('/api/v1/auth/me')).json();
    expect(me.second_factor_policy.enrolment_required).toBe(false);
    const days = (Date.parse(me.second_factor_policy.deadline) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    expect((await page.request.get('/api/v1/users')).status()).toBe(200);
    await expectAccessible(page, 'policy-banner in ' + lang);
    await page.screenshot({ path: `${SCREENS}/factor-policy-banner-${lang}.png`, fullPage: true, animations: 'disabled' });
    await banner.getByRole('button', { name: L.factorPolicy.bannerAction }).click();
    await expect(page).toHaveURL(/\/security$/);
    await page.context().close();
  });

  test(`past the grace a member may only set up a second factor, then the console opens (${lang})`, async ({ api, browser }) => {
    const code = unique('e2e_policy0');
    const group = await api.post('/groups', { code, name: `Policy ${code}`, permissions: ['users.read'],
      second_factor_required: true, second_factor_grace_days: 0 });
    const login = unique('e2e-late');
    const user = await api.post('/users', { login, password: PASSWORD, active: true, group_ids: [group.id] });

    // Led to the Security page, nothing else open: the API refuses the rest.
    const page = await memberPage(browser, lang, L, login);
    await expect(page).toHaveURL(/\/security$/);
    await expect(page.getByRole('alert').filter({ hasText: L.factorPolicy.enrolTitle })).toBeVisible();
    const refused = await page.request.get('/api/v1/users');
    expect(refused.status()).toBe(403);
    expect((await refused.json()).code).toBe('auth.enrolmentRequired');
    await page.goto('/users');
    await expect(page).toHaveURL(/\/security$/);
    await expectAccessible(page, 'policy-enrol in ' + lang);
    await page.screenshot({ path: `${SCREENS}/factor-policy-enrol-${lang}.png`, fullPage: true, animations: 'disabled' });

    // TOTP from the key shown as text, as an app would compute it.
    await page.getByRole('button', { name: L.security.setUp }).click();
    const key = (await page.getByTestId(TID.securityTotpSecret).innerText()).replace(/\s/g, '');
    await page.getByLabel(L.security.code).fill(totp(key));
    await page.getByRole('button', { name: L.security.confirm, exact: true }).click();
    await expect(page.getByTestId(TID.securityRecoveryCodes).getByRole('listitem')).toHaveCount(10);
    await page.getByRole('button', { name: L.security.saved }).click();

    // The same session is now a full one: the console with its sections.
    await expect(page).toHaveURL(/\/users/);
    await expect(page.getByTestId(TID.sideNav)).toBeVisible();
    await expect(page.getByRole('alert').filter({ hasText: L.factorPolicy.enrolTitle })).toHaveCount(0);
    expect((await page.request.get('/api/v1/users')).status()).toBe(200);
    const events = await api.get(`/audit?resource_type=session&resource_id=${user.id}&page_size=50`);
    const actions = events.items.map((e: { action: string }) => e.action);
    expect(actions).toContain('login.enrolmentRequired');
    expect(actions).toContain('login.enrolmentCompleted');
    await page.context().close();
  });
  test(`the user card shows the member's second-factor standing (${lang})`, async ({ adminPage, api, browser }) => {
    await adminPage.addInitScript((l) => window.localStorage.setItem('custos.lang', l), lang);
    const code = unique('e2e_policyc');
    const group = await api.post('/groups', { code, name: `Policy ${code}`, permissions: ['users.read'],
      second_factor_required: true, second_factor_grace_days: 3 });
    const login = unique('e2e-card');
    const user = await api.post('/users', { login, password: PASSWORD, active: true, group_ids: [group.id] });
    const member = await memberPage(browser, lang, L, login); // starts the grace
    await member.context().close();
    const status = await api.get(`/users/${user.id}/factors`);
    expect(status.policy.required_by).toEqual([code]);
    expect(status.policy.deadline).toBeTruthy();

    await adminPage.goto(`/users/${user.id}`);
    await adminPage.getByRole('tab', { name: L.users.tabs.security, exact: true }).click();
    const panel = adminPage.getByRole('tabpanel', { name: L.users.tabs.security });
    await expect(panel.getByText(L.factorPolicy.requiredBy.replace('{{groups}}', code))).toBeVisible();
    await expect(panel.getByRole('row', { name: new RegExp(L.factorPolicy.deadline) })).toBeVisible();
    await expect(panel.getByRole('button', { name: L.factorPolicy.reset })).toBeDisabled();
    await expectAccessible(adminPage, 'user-factors in ' + lang, '.ant-tabs-tabpane-active');
    await adminPage.screenshot({ path: `${SCREENS}/user-factors-${lang}.png`, fullPage: true, animations: 'disabled' });
  });
}
