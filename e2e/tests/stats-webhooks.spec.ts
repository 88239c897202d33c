// Issue 13, the administrators' side: a webhook delivered to a real receiver process that
// checks the X-Custos-Signature with the secret the page showed once, the delivery log and
// Redeliver; a token's traffic on the home dashboard and on the token's Statistics tab.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TID } from '../../frontend/src/testids';
import { expect, test, unique } from '../fixtures';

const SCREENS = 'screens';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** receiver is a webhook receiver on 127.0.0.1 (the suite's server allows http to it) that keeps what it got. */
async function receiver() {
  const got: Received[] = [];
  const srv = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('received');
    });
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/custos`;
  return { url, got, close: () => new Promise<void>((resolve) => srv.close(() => resolve())) };
}

/** verify is what the README tells a receiver to do: HMAC-SHA256 over "<timestamp>.<body>" with the secret. */
function verify(secret: string, r: Received): boolean {
  const ts = String(r.headers['x-custos-timestamp']);
  const want = 'sha256=' + createHmac('sha256', secret).update(`${ts}.${r.body}`).digest('hex');
  return r.headers['x-custos-signature'] === want && Math.abs(Date.now() / 1000 - Number(ts)) < 300;
}

test.describe('statistics and webhooks for administrators', () => {
  test('a webhook: secret shown once, a test event the receiver verifies, the delivery log and Redeliver', async ({ adminPage: page, api }) => {
    const rx = await receiver();
    try {
      const system = await api.post('/systems', { name: unique('Hooked ') });
      await page.goto(`/systems/${system.id}`);
      await page.getByRole('tab', { name: 'Webhooks' }).click();
      const tab = page.getByTestId(TID.systemWebhooks);
      await tab.getByRole('button', { name: 'Add webhook' }).click();
      const dialog = page.getByTestId(TID.webhookDialog);
      await dialog.getByLabel('URL').fill(rx.url);
      await dialog.getByLabel('Certificate revoked').check();
      await dialog.getByLabel('System settings changed').check();
      await dialog.getByRole('button', { name: 'Create' }).click();

      const secretDialog = page.getByTestId(TID.webhookSecretDialog);
      await expect(secretDialog).toBeVisible();
      const secretBox = secretDialog.getByTestId(TID.webhookSecretValue);
      const secret = ((await secretBox.inputValue().catch(() => '')) || (await secretBox.innerText())).trim();
      expect(secret.length).toBeGreaterThanOrEqual(32);
      await secretDialog.getByRole('button', { name: 'Done' }).click();
      const hooks = await api.get(`/systems/${system.id}/webhooks`);
      expect(JSON.stringify(hooks)).not.toContain(secret);

      const row = tab.locator('tbody tr.ant-table-row').filter({ hasText: rx.url });
      await row.getByRole('button', { name: 'Send test event' }).click();
      await expect.poll(() => rx.got.length, { timeout: 20_000 }).toBe(1);
      const first = rx.got[0];
      expect(first.headers['x-custos-event']).toBe('webhook.test');
      expect(verify(secret, first), 'the signature verifies with the secret shown once').toBe(true);
      expect(verify('not-the-secret', first)).toBe(false);
      const event = JSON.parse(first.body);
      expect(event.id).toBeTruthy();
      expect(event.type).toBe('webhook.test');

      // A change of the system's settings is an event too, sent by the outbox after the commit.
      await api.patch(`/systems/${system.id}`, { version: system.version, settings_texts: { ru: 'Новый текст', en: 'New text' } });
      await expect.poll(() => rx.got.length, { timeout: 20_000 }).toBe(2);
      expect(rx.got[1].headers['x-custos-event']).toBe('system.settings_changed');
      expect(verify(secret, rx.got[1])).toBe(true);

      await row.getByRole('button', { name: 'Delivery log' }).click();
      const log = page.getByTestId(TID.webhookDeliveries);
      const testRow = log.locator('tbody tr.ant-table-row').filter({ hasText: 'Test event' });
      await expect(testRow).toContainText('200');
      await expect(testRow).toContainText('Delivered');
      await expect(log.locator('tbody tr.ant-table-row').filter({ hasText: 'System settings changed' })).toContainText('200');
      await page.screenshot({ path: `${SCREENS}/webhook-deliveries-en.png`, fullPage: true, animations: 'disabled' });

      await testRow.getByRole('button', { name: 'Redeliver' }).click();
      await expect.poll(() => rx.got.length, { timeout: 20_000 }).toBe(3);
      expect(rx.got[2].headers['x-custos-event']).toBe('webhook.test');
      expect(JSON.parse(rx.got[2].body).id, 'the same event, delivered again').toBe(event.id);
      expect(verify(secret, rx.got[2])).toBe(true);
    } finally {
      await rx.close();
    }
  });

  test('a token\'s requests on the home dashboard and on its Statistics tab, in en and ru', async ({ adminPage: page, api, baseURL }) => {
    const expires = new Date(Date.now() + 10 * 24 * 3600 * 1000).toISOString();
    const name = unique('reporting-');
    const tok = await api.post('/tokens', { name, scopes: ['users.read'], expires_at: expires });
    const statuses: number[] = [];
    for (const path of ['/api/v1/users?page_size=1', '/api/v1/users?page_size=2', '/api/v1/users?page_size=3', '/api/v1/audit']) {
      const r = await fetch(`${baseURL}${path}`, { headers: { Authorization: `Api-Token ${tok.token}` } });
      statuses.push(r.status);
    }
    expect(statuses).toEqual([200, 200, 200, 403]);
    await expect.poll(async () => (await api.get(`/tokens/${tok.id}/stats`)).total, { timeout: 15_000 }).toBe(4);

    await page.goto('/');
    const board = page.getByTestId(TID.dashboard);
    await expect(board).toBeVisible();
    await expect(board.getByTestId(TID.dashboardChart).locator('svg').first()).toBeVisible();
    const total = Number((await board.getByTestId(TID.dashboardRequestsTotal).innerText()).replace(/\D/g, ''));
    expect(total).toBeGreaterThanOrEqual(4);
    const expiring = board.getByTestId(TID.dashboardTokens);
    await expect(expiring).toContainText(name);
    await page.screenshot({ path: `${SCREENS}/dashboard-en.png`, fullPage: true, animations: 'disabled' });

    // The expiring token's link opens its details; the Statistics tab has its figures.
    await expiring.getByRole('link', { name }).click();
    await expect(page.getByTestId(TID.tokenEditDialog)).toBeVisible();
    await page.getByTestId(TID.tokenTabs).getByRole('tab', { name: 'Statistics' }).click();
    const stats = page.getByTestId(TID.tokenStats);
    const today = new Date().toISOString().slice(0, 10);
    const tr = stats.locator('tbody tr.ant-table-row').filter({ hasText: today });
    await expect(tr).toBeVisible();
    const header = await stats.locator('thead th').allInnerTexts();
    const cells = await tr.locator('td').allInnerTexts();
    const byHeader = Object.fromEntries(header.map((h, i) => [h.trim(), cells[i]?.trim()]));
    expect(byHeader).toMatchObject({ '200': '3', '403': '1' });
    await page.screenshot({ path: `${SCREENS}/token-stats-en.png`, fullPage: true, animations: 'disabled' });

    await page.goto('/');
    await page.getByTestId(TID.languageSwitch).getByText('Русский').click();
    await expect(page.getByTestId(TID.dashboard).getByTestId(TID.dashboardTokens)).toContainText(name);
    await expect(page.getByTestId(TID.pageTitle)).toHaveText('Обзор');
    await page.screenshot({ path: `${SCREENS}/dashboard-ru.png`, fullPage: true, animations: 'disabled' });
    await page.getByTestId(TID.languageSwitch).getByText('English').click();
  });
});
