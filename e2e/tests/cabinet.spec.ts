// The client cabinet (issue 13, seed 000): a client of an integrated system opens it over
// the mTLS entry with the system's .p12 in the browser (Playwright's clientCertificates),
// signs in as a member of the system's owner group, reads the statistics of the traffic
// the system's certificate made (chart, table, CSV), edits the one parameter the
// administrator opened, and sees the services. Screenshots in en and ru.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { Browser, Page } from '@playwright/test';
import { TID } from '../../frontend/src/testids';
import { expect, test, unique, type Api } from '../fixtures';
import { mtlsURL } from '../playwright.config';

const SCREENS = 'screens';

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** call makes one request to the mTLS entry from Node with the system's key pair; answers the status. */
function call(path: string, ca: string, client: { cert: string; key: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${mtlsURL}${path}`, { ca, cert: client.cert, key: client.key, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

interface Client {
  system: { id: string; name: string; version: number };
  other: string;
  login: string;
  password: string;
  pfxPath: string;
  ca: string;
  keyPair: { cert: string; key: string };
}

/**
 * seed makes a group holding the cabinet permission, a person in it, the group's system
 * (description open to the cabinet) with a .p12 bundle, and a second system of another
 * group. The bundle's certificate then makes 5 allowed requests and 2 refused ones.
 */
async function seed(api: Api): Promise<Client> {
  const code = unique('acme').replace(/-/g, '_');
  const group = await api.post('/groups', { code, name: `Acme ${code}`, permissions: ['cabinet'] });
  const login = unique('client');
  const password = 'client-password-1';
  await api.post('/users', { login, display_name: 'Anna Client', password, group_ids: [group.id] });
  const system = await api.post('/systems', {
    name: unique('Acme archive '), description: 'Signed documents', owner_group_id: group.id,
    allowed_services: ['users.read', 'audit.read'], client_editable: ['description'],
    settings_texts: { ru: 'Проверяйте подпись в ИС', en: 'Check the signature in the system' },
  });
  const otherGroup = await api.post('/groups', { code: `${code}_x`, name: `Other ${code}`, permissions: ['cabinet'] });
  const other = await api.post('/systems', { name: unique('Other '), owner_group_id: otherGroup.id });
  const issued = await api.post(`/systems/${system.id}/certificates`, { method: 'p12', password: '' });
  const pfxPath = test.info().outputPath('client.p12');
  writeFileSync(pfxPath, Buffer.from(issued.p12, 'base64'));
  const pem = openssl(['pkcs12', '-in', pfxPath, '-passin', 'pass:', '-nodes']);
  const keyPair = {
    cert: pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)![0],
    key: pem.match(/-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/)![0],
  };
  const ca = issued.ca_certificate as string;
  const statuses = [];
  for (let i = 0; i < 5; i++) statuses.push(await call('/api/v1/users?page_size=1', ca, keyPair));
  for (let i = 0; i < 2; i++) statuses.push(await call('/api/v1/providers', ca, keyPair));
  expect(statuses).toEqual([200, 200, 200, 200, 200, 403, 403]);
  return { system, other: other.id, login, password, pfxPath, ca, keyPair };
}

/** signIn opens the cabinet over mTLS in a browser that holds the .p12, as the client. */
async function signIn(browser: Browser, c: Client, locale: 'en-US' | 'ru-RU') {
  const ctx = await browser.newContext({
    clientCertificates: [{ origin: mtlsURL, pfxPath: c.pfxPath, passphrase: '' }],
    ignoreHTTPSErrors: true, locale, acceptDownloads: true,
  });
  const page = await ctx.newPage();
  await page.goto(`${mtlsURL}/login`);
  await page.getByTestId(TID.loginForm).locator('input').first().fill(c.login);
  await page.getByTestId(TID.loginForm).locator('input[type=password]').fill(c.password);
  await page.getByTestId(TID.loginForm).locator('button[type=submit]').click();
  await expect(page.getByTestId(TID.sideNav)).toBeVisible();
  return { ctx, page };
}

/** statsCells reads the table of the statistics view: the header and the row of today. */
async function statsTable(page: Page) {
  const view = page.getByTestId(TID.cabinetStats);
  const today = new Date().toISOString().slice(0, 10);
  const tr = view.locator('tbody tr.ant-table-row').filter({ hasText: today }).first();
  await expect(tr).toBeVisible();
  const header = await view.locator('thead th').allInnerTexts();
  const row = await tr.locator('td').allInnerTexts();
  return Object.fromEntries(header.map((h, i) => [h.trim(), row[i]?.trim()]));
}

test.describe('client cabinet over mTLS', () => {
  test('statistics of the system\'s own traffic, CSV, an opened parameter edited, services; another system is not found', async ({ browser, api }) => {
    const c = await seed(api);
    // The figures reach the table within a flush (5 s): wait until the administrators' view has them.
    const today = new Date().toISOString().slice(0, 10);
    await expect.poll(async () => (await api.get(`/systems/${c.system.id}/stats?from=${today}&to=${today}&group_by=status`)).rows,
      { timeout: 15_000 }).toEqual(expect.arrayContaining([{ status: 200, count: 5 }, { status: 403, count: 2 }]));

    const { ctx, page } = await signIn(browser, c, 'en-US');
    await page.goto(`${mtlsURL}/cabinet`);
    // The person's group owns one system: the cabinet opens it directly.
    await expect(page.getByTestId(TID.cabinetSystem)).toBeVisible();
    await expect(page.getByTestId(TID.pageTitle)).toContainText(c.system.name);

    const stats = page.getByTestId(TID.cabinetStats);
    await expect(stats.getByTestId(TID.statsChart).locator('svg').first()).toBeVisible();
    // The page shows what the API holds for today, column by column. (Requests the browser
    // made with the certificate before the sign-in made a session are the system's too,
    // and reach the table with a later flush: read both again until they agree.)
    await expect(async () => {
      await page.reload();
      const report = await api.get(`/systems/${c.system.id}/stats?from=${today}&to=${today}&group_by=status`);
      const cells = await statsTable(page);
      for (const r of report.rows as { status: number; count: number }[]) expect(cells[String(r.status)]).toBe(String(r.count));
      expect(cells['403']).toBe('2');
      await expect(stats.getByTestId(TID.statsTotal)).toContainText(String(report.total));
    }).toPass({ timeout: 30_000 });
    await page.screenshot({ path: `${SCREENS}/cabinet-stats-en.png`, fullPage: true, animations: 'disabled' });

    const [download] = await Promise.all([page.waitForEvent('download'), stats.getByTestId(TID.statsExport).click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toContain('200');
    expect(lines[0]).toContain('403');
    expect(lines.find((l) => l.includes(today))).toContain(',2,');

    // Parameters: the description is open to the client, the settings texts are not.
    await page.getByRole('tab', { name: 'Parameters' }).click();
    const params = page.getByTestId(TID.cabinetParams);
    await expect(params.getByLabel('Description')).toBeEditable();
    await expect(params.getByText('Check the signature in the system')).toBeVisible();
    await params.getByLabel('Description').fill('Signed documents of Acme, checked daily');
    await page.getByTestId(TID.cabinetParamsSave).click();
    await expect.poll(async () => (await api.get(`/systems/${c.system.id}`)).description).toBe('Signed documents of Acme, checked daily');
    const log = await api.get(`/audit?resource_type=system&resource_id=${c.system.id}&action=update`);
    expect(log.items[0].actor_name).toContain(c.login);
    await page.screenshot({ path: `${SCREENS}/cabinet-params-en.png`, fullPage: true, animations: 'disabled' });

    await page.getByRole('tab', { name: 'Services' }).click();
    await expect(page.getByTestId(TID.cabinetServices)).toContainText('users.read');
    await expect(page.getByTestId(TID.cabinetServices)).toContainText('audit.read');

    await page.getByRole('tab', { name: 'Certificates' }).click();
    const certs = page.getByTestId(TID.cabinetCertificates);
    await expect(certs.locator('tbody tr.ant-table-row')).toHaveCount(1);
    await expect(page.getByTestId(TID.cabinetCertGenerate)).toHaveCount(0);

    // Another group's system, even by its id: not found.
    await page.goto(`${mtlsURL}/cabinet/${c.other}`);
    await expect(page.getByTestId(TID.cabinetNotFound)).toBeVisible();
    await ctx.close();
  });

  test('in Russian: the statistics and the parameters', async ({ browser, api }) => {
    const c = await seed(api);
    const today = new Date().toISOString().slice(0, 10);
    await expect.poll(async () => (await api.get(`/systems/${c.system.id}/stats?from=${today}&to=${today}`)).total,
      { timeout: 15_000 }).toBeGreaterThanOrEqual(7);
    const { ctx, page } = await signIn(browser, c, 'ru-RU');
    await page.goto(`${mtlsURL}/cabinet/${c.system.id}`);
    await expect(page.getByTestId(TID.cabinetSystem)).toBeVisible();
    await page.getByTestId(TID.languageSwitch).getByText('Русский').click();
    await expect(page.getByRole('tab', { name: 'Параметры' })).toBeVisible();
    await expect(page.getByTestId(TID.cabinetStats).getByTestId(TID.statsChart).locator('svg').first()).toBeVisible();
    await page.screenshot({ path: `${SCREENS}/cabinet-stats-ru.png`, fullPage: true, animations: 'disabled' });
    await page.getByRole('tab', { name: 'Параметры' }).click();
    await expect(page.getByTestId(TID.cabinetParams).getByText('Проверяйте подпись в ИС')).toBeVisible();
    await page.screenshot({ path: `${SCREENS}/cabinet-params-ru.png`, fullPage: true, animations: 'disabled' });
    await ctx.close();
  });
});
