// Integrated systems and their certificates (issue 12), judged by software we did not
// write: openssl verifies what the page's key pair got signed, a Node https client and a
// browser with a .p12 (Playwright's clientCertificates) go through the mTLS entry.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { Page } from '@playwright/test';
import { TID } from '../../frontend/src/testids';
import { ADMIN, expect, test, unique } from '../fixtures';
import { DataTable } from '../pages/DataTable';
import { chooseOption } from '../pages/Select';
import { mtlsURL } from '../playwright.config';

test.describe.configure({ mode: 'parallel' });

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** fingerprint is the lower-case hex SHA-256 of a PEM certificate's DER, as the API writes it. */
function fingerprint(pem: string): string {
  return new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase();
}

interface Answer {
  status: number;
  code?: string;
}

/** mtlsGet calls the mTLS entry from Node, trusting only our CA, with the given client key pair. */
function mtlsGet(path: string, ca: string, client?: { cert: string; key: string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${mtlsURL}${path}`, { ca, cert: client?.cert, key: client?.key, headers: { Accept: 'application/json' } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, code: body.startsWith('{') ? JSON.parse(body).code : undefined }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function caPem(page: Page): Promise<string> {
  const res = await page.request.get('/pki/ca.crt');
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toContain('application/x-pem-file');
  const pem = await res.text();
  expect(pem).toContain('-----BEGIN CERTIFICATE-----');
  return pem;
}

/** openCertificates opens a system's Certificates tab. */
async function openCertificates(page: Page, id: string, tab = 'Certificates') {
  await page.goto(`/systems/${id}`);
  await page.getByRole('tab', { name: tab }).click();
  await expect(page.getByTestId(TID.systemCertificates)).toBeVisible();
}

test.describe('integrated systems', () => {
  test('created in the UI, a key pair made in the page: openssl verifies its certificate, the key works over mTLS until revoked', async ({ adminPage: page, api }) => {
    const name = unique('billing-');
    await page.goto('/systems');
    await expect(page.getByTestId(TID.pageTitle)).toHaveText('Integrated systems');
    await page.screenshot({ path: 'screens/systems-en.png', fullPage: true });
    await page.getByTestId(TID.tableAdd).click();
    await expect(page).toHaveURL(/\/systems\/new$/);
    await page.getByRole('textbox', { name: /^\*? ?Name$/ }).fill(name);
    await page.getByRole('textbox', { name: 'Description', exact: true }).fill('Invoices to the tax office');
    await chooseOption(page, page.getByTestId(TID.systemServices), /\(users\.read\)/);
    await page.keyboard.press('Escape');
    await page.getByTestId(TID.formSave).click();
    await expect(page).toHaveURL(/\/systems\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop() as string;
    const saved = await api.get(`/systems/${id}`);
    expect(saved).toMatchObject({ name, enabled: true, allowed_services: ['users.read'], certificate_count: 0 });
    await page.screenshot({ path: 'screens/system-main-en.png', fullPage: true });

    await page.getByRole('tab', { name: 'Certificates' }).click();
    await page.getByTestId(TID.certGenerate).click();
    const dialog = page.getByTestId(TID.certGenerateDialog);
    await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
    const pem = dialog.getByTestId(TID.certPem);
    await expect(pem).toHaveValue(/^-----BEGIN CERTIFICATE-----/);
    const certPem = await pem.inputValue();
    await expect(dialog.getByTestId(TID.certKeyWarning)).toContainText('lost when you close this window or reload the page');
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId(TID.certKeyDownload).click()]);
    expect(download.suggestedFilename()).toBe('privateKey.pem');
    const keyFile = test.info().outputPath('privateKey.pem');
    await download.saveAs(keyFile);
    await page.screenshot({ path: 'screens/system-generate-en.png', animations: 'disabled' });
    await dialog.getByRole('button', { name: 'I have saved the key' }).click();
    await expect(dialog).toBeHidden();

    // openssl: the certificate chains to ca.crt, carries the system's name, and pairs with the downloaded key.
    const key = readFileSync(keyFile, 'utf8');
    expect(key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const ca = await caPem(page);
    const caFile = test.info().outputPath('ca.crt');
    const certFile = test.info().outputPath('system.crt');
    writeFileSync(caFile, ca);
    writeFileSync(certFile, certPem);
    expect(openssl(['verify', '-CAfile', caFile, certFile]).trim()).toBe(`${certFile}: OK`);
    expect(openssl(['x509', '-in', certFile, '-noout', '-subject'])).toContain(`CN = ${name}`);
    expect(openssl(['pkey', '-in', keyFile, '-pubout'])).toBe(openssl(['x509', '-in', certFile, '-noout', '-pubkey']));
    const listed = await api.get(`/systems/${id}/certificates`);
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]).toMatchObject({ origin: 'csr', status: 'active', fingerprint_sha256: fingerprint(certPem) });

    // The key from the page works over mTLS, within the system's allowed services only.
    const client = { cert: certPem, key };
    expect(await mtlsGet('/api/v1/users?page_size=1', ca, client)).toEqual({ status: 200, code: undefined });
    expect(await mtlsGet('/api/v1/audit?page_size=1', ca, client)).toMatchObject({ status: 403 });
    await expect(mtlsGet('/api/v1/users?page_size=1', ca)).rejects.toThrow();

    // Revoked from the page with a reason: refused at once, and the CRL says so to openssl.
    const table = new DataTable(page);
    await table.rows().first().getByTestId(TID.certRevoke).click();
    const revoke = page.getByTestId(TID.certRevokeDialog);
    await chooseOption(page, revoke.getByTestId(TID.certRevokeReason), 'Key compromise');
    await revoke.getByRole('button', { name: 'Revoke', exact: true }).click();
    await expect(table.rows().first().getByTestId(TID.certStatus)).toHaveText('Revoked');
    expect(await mtlsGet('/api/v1/users?page_size=1', ca, client)).toEqual({ status: 401, code: 'system.certificateRefused' });
    const crl = await page.request.get('/pki/crl');
    expect(crl.headers()['content-type']).toContain('application/pkix-crl');
    const crlDer = test.info().outputPath('ca.crl.der');
    const crlFile = test.info().outputPath('ca.crl');
    writeFileSync(crlDer, await crl.body());
    openssl(['crl', '-inform', 'DER', '-in', crlDer, '-out', crlFile]);
    expect(() => openssl(['verify', '-crl_check', '-CAfile', caFile, '-CRLfile', crlFile, certFile])).toThrow(/revoked/);
    const audit = await api.get(`/audit?resource_type=system_certificate&resource_id=${listed.items[0].id}&sort=at&order=asc`);
    // Issued, revoked, then the refused call above, named as the certificate's.
    expect(audit.items.map((e: { action: string }) => e.action)).toEqual(['create', 'revoke', 'access.denied']);
  });

  test('a browser with the .p12 issued through the API reaches the login page over mTLS and signs in; one without a certificate is refused', async ({ browser, api }) => {
    const system = await api.post('/systems', { name: unique('cabinet-'), allowed_services: ['users.read'] });
    const issued = await api.post(`/systems/${system.id}/certificates`, { method: 'p12', password: '' });
    expect(issued.origin).toBe('p12');
    const pfxPath = test.info().outputPath('cabinet.p12');
    writeFileSync(pfxPath, Buffer.from(issued.p12, 'base64'));
    // Seed 000's bundle: openssl reads it with an empty password.
    expect(openssl(['pkcs12', '-in', pfxPath, '-passin', 'pass:', '-nokeys', '-clcerts'])).toContain(`CN = ${system.name}`);

    const withCert = await browser.newContext({ clientCertificates: [{ origin: mtlsURL, pfxPath, passphrase: '' }], ignoreHTTPSErrors: true, locale: 'en-US' });
    const page = await withCert.newPage();
    await page.goto(`${mtlsURL}/login`);
    await expect(page.getByTestId(TID.loginForm)).toBeVisible();
    await page.getByRole('textbox', { name: 'Login', exact: true }).fill(ADMIN.login);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByTestId(TID.sideNav)).toBeVisible();
    expect(new URL(page.url()).origin).toBe(mtlsURL);
    const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).json());
    expect(me.user.login).toBe(ADMIN.login);

    // The certificate switched off: the same browser is refused at once, session or not.
    const cert = (await api.get(`/systems/${system.id}/certificates`)).items[0];
    await api.patch(`/systems/${system.id}/certificates/${cert.id}`, { enabled: false, version: cert.version });
    const refused = await page.evaluate(async () => {
      const r = await fetch('/api/v1/auth/me');
      return { status: r.status, code: (await r.json()).code };
    });
    expect(refused).toEqual({ status: 401, code: 'system.certificateRefused' });
    await withCert.close();

    const bare = await browser.newContext({ ignoreHTTPSErrors: true });
    const barePage = await bare.newPage();
    await expect(barePage.goto(`${mtlsURL}/login`)).rejects.toThrow(/net::ERR_/);
    await bare.close();
  });

  test('in Russian with the seed\'s terms: a certificate added by hand, a pasted private key refused on its field, a browser bundle downloaded', async ({ adminPage: page, api }) => {
    const system = await api.post('/systems', { name: unique('sigex-'), description: 'Подписи' });
    const self = test.info().outputPath('self');
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=sigex self-signed', '-addext', 'basicConstraints=critical,CA:FALSE', '-days', '20', '-keyout', `${self}.key`, '-out', `${self}.crt`]);
    await page.goto('/');
    await page.getByTestId(TID.languageSwitch).getByText('Русский').click();
    await page.goto(`/systems?q=${system.name}`);
    await expect(page.getByTestId(TID.pageTitle)).toHaveText('Информационные системы');
    await expect(new DataTable(page).row(system.name)).toContainText('Включена');
    await page.screenshot({ path: 'screens/systems-ru.png', fullPage: true });

    await openCertificates(page, system.id, 'Сертификаты');
    await expect(page.getByRole('tab', { name: 'Журнал изменений настроек' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Сертификаты информационных систем' })).toBeVisible();
    await expect(page.getByRole('button', { name: /Сгенерировать ключевую пару и сертификат/ })).toBeVisible();

    // A private key pasted by mistake: refused on the field, never echoed, nothing stored.
    await page.getByRole('button', { name: /Добавить сертификат вручную/ }).click();
    const manual = page.getByTestId(TID.certManualDialog);
    const field = manual.getByLabel('Сертификат (PEM)');
    const key = readFileSync(`${self}.key`, 'utf8');
    await field.fill(key);
    await manual.locator('.ant-modal-footer').getByRole('button', { name: /Добавить/ }).click();
    await expect(manual.getByText('Содержит закрытый ключ: никогда не вставляйте сюда закрытый ключ')).toBeVisible();
    await expect(manual.locator('.ant-form-item-explain')).not.toContainText(key.split('\n')[1]);
    expect((await api.get(`/systems/${system.id}/certificates`)).total).toBe(0);

    const certPem = readFileSync(`${self}.crt`, 'utf8');
    await field.fill(certPem);
    await manual.locator('.ant-modal-footer').getByRole('button', { name: /Добавить/ }).click();
    await expect(manual).toBeHidden();
    const table = new DataTable(page);
    await expect(table.rows()).toHaveCount(1);
    await expect(table.rows().first()).toContainText('Добавлен вручную');
    await expect(table.rows().first().getByTestId(TID.certExpiringSoon)).toHaveText(/Истекает через (19|20) дн\./);
    const added = (await api.get(`/systems/${system.id}/certificates`)).items[0];
    expect(added).toMatchObject({ origin: 'manual', status: 'active', expiring_soon: true, fingerprint_sha256: fingerprint(certPem) });

    // The browser bundle from the page: <system>.p12 and ca.crt, which openssl reads.
    await page.getByRole('button', { name: /Выпустить пакет для браузера/ }).click();
    const bundle = page.getByTestId(TID.certBundleDialog);
    await bundle.getByRole('button', { name: 'Выпустить', exact: true }).click();
    const [p12] = await Promise.all([page.waitForEvent('download'), bundle.getByTestId(TID.certP12Download).click()]);
    expect(p12.suggestedFilename()).toBe(`${system.name}.p12`);
    const p12File = test.info().outputPath('bundle.p12');
    await p12.saveAs(p12File);
    expect(openssl(['pkcs12', '-in', p12File, '-passin', 'pass:', '-nokeys', '-clcerts'])).toContain(`CN = ${system.name}`);
    const [caDl] = await Promise.all([page.waitForEvent('download'), bundle.getByTestId(TID.certCaDownload).click()]);
    expect(caDl.suggestedFilename()).toBe('ca.crt');
    await page.screenshot({ path: 'screens/system-bundle-ru.png', animations: 'disabled' });
    await bundle.getByRole('button', { name: 'Файлы скачаны' }).click();
    await expect(bundle).toBeHidden();
    await expect(table.rows()).toHaveCount(2);
    await page.screenshot({ path: 'screens/system-certificates-ru.png', fullPage: true, animations: 'disabled' });
    await page.getByTestId(TID.languageSwitch).getByText('English').click();
    await page.reload(); // no Russian notification left over in the English picture
    await page.getByRole('tab', { name: 'Certificates' }).click();
    await expect(page.getByRole('heading', { name: 'Integrated system certificates' })).toBeVisible();
    await expect(table.rows()).toHaveCount(2);
    await page.screenshot({ path: 'screens/system-certificates-en.png', fullPage: true });
  });

  test('the certificate authority page: ca.crt as served, CRL and OCSP addresses, the how-to, in English and Russian', async ({ adminPage: page, api }) => {
    const ca = await caPem(page);
    const info = await api.get('/ca');
    await page.goto('/ca');
    await expect(page.getByTestId(TID.pageTitle)).toHaveText('Certificate authority');
    await expect(page.getByTestId(TID.caFingerprint)).toHaveText(fingerprint(ca));
    await expect(page.getByTestId(TID.caCrlUrl)).toHaveText(info.crl_url);
    await expect(page.getByTestId(TID.caOcspUrl)).toHaveText(info.ocsp_url);
    await expect(page.getByTestId(TID.caImport)).toBeVisible();
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId(TID.caDownload).click()]);
    expect(dl.suggestedFilename()).toBe('ca.crt');
    const file = test.info().outputPath('downloaded-ca.crt');
    await dl.saveAs(file);
    expect(readFileSync(file, 'utf8')).toBe(ca);
    await expect(page.getByTestId(TID.caHowTo)).toContainText('Manage device certificates');
    await page.screenshot({ path: 'screens/ca-en.png', fullPage: true });
    await page.getByTestId(TID.languageSwitch).getByText('Русский').click();
    await expect(page.getByTestId(TID.pageTitle)).toHaveText('Удостоверяющий центр');
    await expect(page.getByTestId(TID.caHowTo)).toContainText('Управление сертификатами устройства');
    await page.screenshot({ path: 'screens/ca-ru.png', fullPage: true });
    await page.getByTestId(TID.languageSwitch).getByText('English').click();
  });
});
