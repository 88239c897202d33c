// Signing in with a certificate (issue 16): a person's key made by the test, its certificate
// issued by our CA through the device flow (the "device" is the test's software key), held
// by the browser as an empty-password .p12 (Playwright's clientCertificates) on the mTLS
// entry. The login page offers «Sign in with certificate (CN …)», it lands in the console;
// once the device is revoked the page shows the refusal and signs nobody in.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Browser } from '@playwright/test';
import { TID } from '../../frontend/src/testids';
import { Api, expect, test, unique, type Api as ApiType } from '../fixtures';
import { expectAccessible } from '../fixtures/a11y';
import { totp } from '../fixtures/totp';
import { mtlsURL } from '../playwright.config';

const SCREENS = 'screens';

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** selfSignedP12 makes a P-256 key and a self-signed client certificate with openssl, and its empty-password .p12. */
function selfSignedP12(cn: string) {
  const base = test.info().outputPath(cn.replace(/\W+/g, '-'));
  const keyPath = `${base}.key`, certPath = `${base}.crt`, pfxPath = `${base}.p12`;
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyPath, '-out', certPath,
    '-subj', `/CN=${cn}`, '-days', '2', '-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'extendedKeyUsage=clientAuth']);
  openssl(['pkcs12', '-export', '-in', certPath, '-inkey', keyPath, '-passout', 'pass:', '-out', pfxPath]);
  return { certPath, pfxPath };
}

interface Holder {
  userId: string;
  login: string;
  displayName: string;
  deviceId: string;
  pfxPath: string;
}

/**
 * issueToDevice makes a self-service catalogue (device type, P-256 template whose CN is
 * the display name, a policy for a new group), a person in it, and runs their issuance
 * with a key openssl makes: request, signed certificate, confirmation. Answers the .p12.
 */
async function issueToDevice(api: ApiType, baseURL: string): Promise<Holder> {
  const code = unique('holders').replace(/-/g, '_');
  const group = await api.post('/groups', { code, name: `Holders ${code}`, permissions: ['selfservice'] });
  const type = await api.post('/device-types', {
    name: unique('Rutoken '), pin_areas: [{ code: 'pki', name: 'PKI', default_admin_pin: '87654321', default_user_pin: '12345678' }],
    pin_rules: { min_length: 6, max_length: 16, charset: 'digits' },
  });
  const tmpl = await api.post('/certificate-templates', {
    name: unique('Sign-in '), key_algorithm: 'ecdsa-p256', validity_days: 365,
    subject: [{ attr: 'CN', value: '{{display_name}}' }, { attr: 'UID', value: '{{login}}' }],
    key_usages: ['digitalSignature'], extended_key_usages: ['clientAuth'],
  });
  await api.post('/device-policies', {
    name: unique('Policy '), priority: Date.now() % 1_000_000, group_ids: [group.id], self_issuance_allowed: true, template_ids: [tmpl.id],
  });
  const login = unique('holder');
  const displayName = `Anna Token ${login.slice(-5)}`;
  const user = await api.post('/users', { login, display_name: displayName, password: 'holder-password-1', group_ids: [group.id] });

  const anna = await Api.signIn(baseURL, login, 'holder-password-1');
  const issuance = await anna.post('/me/issuances', { device_type_id: type.id });
  const keyPath = test.info().outputPath('device.key');
  const csrPath = test.info().outputPath('device.csr');
  openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyPath, '-subj', '/CN=device', '-out', csrPath]);
  const serial = unique('SN').toUpperCase().slice(0, 30);
  const cert = await anna.post(`/me/issuances/${issuance.id}/csr`, { serial, template_id: tmpl.id, csr: readFileSync(csrPath, 'utf8') });
  const done = await anna.post(`/me/issuances/${issuance.id}/confirm`, { serial, fingerprints: [cert.fingerprint_sha256] });
  expect(done.state).toBe('issued');
  await anna.dispose();

  const certPath = test.info().outputPath('device.crt');
  const pfxPath = test.info().outputPath('device.p12');
  writeFileSync(certPath, cert.pem);
  openssl(['pkcs12', '-export', '-in', certPath, '-inkey', keyPath, '-passout', 'pass:', '-out', pfxPath]);
  return { userId: user.id, login, displayName, deviceId: done.device_id, pfxPath };
}

async function holderContext(browser: Browser, h: Holder, locale: 'en-US' | 'ru-RU') {
  return browser.newContext({ clientCertificates: [{ origin: mtlsURL, pfxPath: h.pfxPath, passphrase: '' }], ignoreHTTPSErrors: true, locale });
}

test.describe('signing in with a certificate', () => {
  test('the certificate Custos wrote on a device signs its holder in on the mTLS entry; once revoked it is refused', async ({ browser, api, baseURL }) => {
    const h = await issueToDevice(api, baseURL!);

    // Russian first: the offer as a Russian-speaking holder sees it.
    const ru = await holderContext(browser, h, 'ru-RU');
    const ruPage = await ru.newPage();
    await ruPage.goto(`${mtlsURL}/login`);
    await expect(ruPage.getByRole('button', { name: `Войти по сертификату (CN ${h.displayName})` })).toBeVisible();
    await ruPage.screenshot({ path: `${SCREENS}/login-certificate-ru.png`, animations: 'disabled' });
    await ru.close();

    const ctx = await holderContext(browser, h, 'en-US');
    const page = await ctx.newPage();
    await page.goto(`${mtlsURL}/login`);
    const offer = page.getByRole('button', { name: `Sign in with certificate (CN ${h.displayName})` });
    await expect(offer).toBeVisible();
    await expectAccessible(page, 'login page offering the certificate');
    await page.screenshot({ path: `${SCREENS}/login-certificate-en.png`, animations: 'disabled' });

    await offer.click();
    await expect(page.getByTestId(TID.sideNav)).toBeVisible();
    expect(new URL(page.url()).origin).toBe(mtlsURL);
    const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).json());
    expect(me.user.login).toBe(h.login);
    const sessions = await api.get(`/users/${h.userId}/sessions`);
    // The issuance's password session, and the certificate's.
    expect(sessions.items.map((s: { sign_in_method: string }) => s.sign_in_method).sort()).toEqual(['', 'certificate']);

    // The device revoked (its certificate with it): the same browser is refused at once.
    const device = await api.get(`/devices/${h.deviceId}`);
    await api.post(`/devices/${h.deviceId}/revoke`, { version: device.version, comment: 'lost' });
    await page.goto(`${mtlsURL}/login`);
    await expect(page.getByRole('alert')).toContainText('This certificate was revoked.');
    await page.getByRole('button', { name: `Sign in with certificate (CN ${h.displayName})` }).click();
    await expect(page.getByRole('alert')).toContainText('This certificate was revoked.');
    await expect(page).toHaveURL(/\/login/);
    await page.screenshot({ path: `${SCREENS}/login-certificate-revoked-en.png`, animations: 'disabled' });
    const failures = await api.get(`/audit?action=login.failure&resource_id=${h.userId}`);
    expect(failures.items.map((e: { diff: { reason?: string } }) => e.diff.reason)).toContain('auth.certificateRevoked');
    await ctx.close();
  });

  test('an administrator binds a certificate on the user card and unbinds it, in English and Russian', async ({ adminPage: page, api }) => {
    const login = unique('bound');
    const user = await api.post('/users', { login, display_name: 'Boris Bound', password: 'bound-password-1' });
    const cn = `Boris laptop ${login.slice(-5)}`;
    const { certPath } = selfSignedP12(cn);

    await page.goto(`/users/${user.id}`);
    await page.getByRole('tab', { name: 'Security', exact: true }).click();
    await expect(page.getByText('No certificates are bound to this person')).toBeVisible();
    await page.getByRole('button', { name: 'Bind certificate' }).click();
    const dialog = page.getByRole('dialog', { name: 'Bind a certificate' });
    await dialog.getByLabel('SHA-256 fingerprint').fill('not a fingerprint');
    await dialog.getByRole('button', { name: 'Bind certificate' }).click();
    await expect(dialog.getByText('Invalid format')).toBeVisible();
    await dialog.getByLabel('SHA-256 fingerprint').fill('');
    await expect(dialog.getByText('Invalid format')).toBeHidden();
    await dialog.getByLabel('Certificate (PEM)').fill(readFileSync(certPath, 'utf8'));
    await dialog.getByLabel('Comment').fill('Laptop');
    await dialog.getByRole('button', { name: 'Bind certificate' }).click();
    await expect(dialog).toBeHidden();
    const row = page.getByRole('row').filter({ hasText: `CN=${cn}` });
    await expect(row).toContainText('Laptop');
    const bound = await api.get(`/users/${user.id}/certificates`);
    expect(bound.items.map((c: { subject: string }) => c.subject)).toEqual([`CN=${cn}`]);
    await expectAccessible(page, 'user card, Certificates tab', '.ant-tabs-tabpane-active');
    await page.screenshot({ path: `${SCREENS}/user-certificates-en.png`, animations: 'disabled' });

    await page.getByTestId(TID.languageSwitch).getByText('Русский').click();
    await expect(page.getByRole('tab', { name: 'Безопасность', exact: true })).toBeVisible();
    await page.screenshot({ path: `${SCREENS}/user-certificates-ru.png`, animations: 'disabled' });
    await row.getByRole('button', { name: 'Отвязать' }).click();
    await page.getByRole('dialog', { name: 'Отвязать сертификат?' }).getByRole('button', { name: 'Отвязать' }).click();
    await expect(page.getByText('К этому человеку не привязано ни одного сертификата')).toBeVisible();
    const audit = await api.get(`/audit?resource_type=user_certificate&resource_id=${bound.items[0].id}&sort=at&order=asc`);
    expect(audit.items.map((e: { action: string }) => e.action)).toEqual(['certificate.bind', 'certificate.unbind']);
  });

  test('a certificate bound to a person signs them in on the mTLS entry; unbound, the page no longer offers it', async ({ api, browser }) => {
    const login = unique('bound');
    const user = await api.post('/users', { login, display_name: 'Boris Bound', password: 'bound-password-1' });
    const cn = `Boris card ${login.slice(-5)}`;
    const { certPath, pfxPath } = selfSignedP12(cn);
    const bound = await api.post(`/users/${user.id}/certificates`, { pem: readFileSync(certPath, 'utf8') });

    const ctx = await browser.newContext({ clientCertificates: [{ origin: mtlsURL, pfxPath, passphrase: '' }], ignoreHTTPSErrors: true, locale: 'en-US' });
    const page = await ctx.newPage();
    await page.goto(`${mtlsURL}/login`);
    await page.getByRole('button', { name: `Sign in with certificate (CN ${cn})` }).click();
    await expect(page.getByTestId(TID.sideNav)).toBeVisible();
    expect((await page.evaluate(async () => (await fetch('/api/v1/auth/me')).json())).user.login).toBe(login);

    await api.del(`/users/${user.id}/certificates/${bound.id}`);
    await ctx.clearCookies();
    await page.goto(`${mtlsURL}/login`);
    await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: /certificate/ })).toHaveCount(0);
    await ctx.close();
  });

  test('after the password on the mTLS entry, the person\'s own certificate answers the second-factor step', async ({ api, browser, baseURL }) => {
    const login = unique('carol');
    const user = await api.post('/users', { login, display_name: 'Carol Code', password: 'carol-password-1' });
    const carol = await Api.signIn(baseURL!, login, 'carol-password-1');
    const enrolment = await carol.post('/me/factors/totp');
    await carol.post('/me/factors/totp/confirm', { code: totp(enrolment.secret) });
    await carol.post('/auth/logout');
    await carol.dispose();
    const { certPath, pfxPath } = selfSignedP12('Carol card');
    await api.post(`/users/${user.id}/certificates`, { pem: readFileSync(certPath, 'utf8') });

    for (const locale of ['ru-RU', 'en-US'] as const) {
      const ctx = await browser.newContext({ clientCertificates: [{ origin: mtlsURL, pfxPath, passphrase: '' }], ignoreHTTPSErrors: true, locale });
      const page = await ctx.newPage();
      await page.goto(`${mtlsURL}/login`);
      await page.getByLabel(/^(Login|Логин)$/).fill(login);
      await page.getByLabel(/^(Password|Пароль)$/).fill('carol-password-1');
      await page.getByRole('button', { name: /^(Sign in|Войти)$/ }).click();
      const use = page.getByRole('button', { name: /^(Use my certificate|Подтвердить сертификатом) \(CN Carol card\)$/ });
      await expect(use).toBeVisible();
      await page.screenshot({ path: `${SCREENS}/login-certificate-second-factor-${locale.slice(0, 2)}.png`, animations: 'disabled' });
      if (locale === 'en-US') {
        await use.click();
        await expect(page.getByTestId(TID.sideNav)).toBeVisible();
      }
      await ctx.close();
    }
    const sessions = await api.get(`/users/${user.id}/sessions`);
    expect(sessions.items.map((x: { sign_in_method: string }) => x.sign_in_method)).toEqual(['password+certificate']);
  });
});
