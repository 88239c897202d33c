import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { currentUrl, jsonResponse, mockApi, pasteInto, renderApp, setupUser } from '../../../test/render';
import { makeMe } from '../../../test/fixtures';
import { TID } from '../../../testids';
import type { System } from '../api/types';
import type { Webhook, WebhookDelivery } from '../api/stats';

const SYSTEM = {
  id: 's1', name: 'Billing', description: '', enabled: true, owner_group_id: null, allowed_services: [],
  settings_texts: { ru: '', en: '' }, certificate_count: 0, version: 3, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z',
  client_editable: [], client_may_issue: false,
} as System;

const HOOK: Webhook = {
  id: 'w1', system_id: 's1', url: 'https://hooks.example.com/custos', events: ['certificate.revoked'], enabled: true, version: 2,
  created_at: '2026-11-01T00:00:00Z', updated_at: '2026-11-01T00:00:00Z',
};

const DELIVERY: WebhookDelivery = {
  id: 'd1', webhook_id: 'w1', event: 'certificate.revoked', event_id: 'e1', url: HOOK.url, attempts: 3, last_status: 500, last_error: '',
  response_excerpt: 'upstream broke', duration_ms: 42, state: 'failed', next_attempt_at: null, created_at: '2026-11-02T00:00:00Z', updated_at: '2026-11-02T00:00:00Z',
};

type Req = { method: string; path: string; url: URL; body: unknown };

function api(perms: string[], more: (req: Req) => Response | undefined = () => undefined) {
  document.cookie = 'custos_csrf=test';
  return mockApi((req) => {
    const { method, path } = req;
    if (path === '/auth/me') return jsonResponse(makeMe(perms));
    if (path === '/permissions') return jsonResponse([]);
    if (path === '/groups') return jsonResponse({ items: [], total: 0, page: 1, page_size: 200 });
    if (method === 'GET' && path === '/systems/s1') return jsonResponse(SYSTEM);
    return more(req);
  });
}

/** openTab opens the system page on one tab; text queries keep the test fast on a busy machine. */
async function openTab(user: ReturnType<typeof setupUser>, label: string, testId: string) {
  renderApp('/systems/s1');
  const tabs = await screen.findByTestId(TID.systemTabs);
  await user.click(await within(tabs).findByText(label));
  return screen.findByTestId(testId);
}

function readBlob(b: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error);
    r.readAsText(b);
  });
}

describe('SystemFormPage, statistics', () => {
  it('shows the date × status table with totals and exports the same table as CSV', async () => {
    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blobs.push(b as Blob);
      return 'blob:test/1';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined); // jsdom cannot navigate
    const calls = api(['certificates.read', 'stats.read'], ({ path, url }) =>
      path === '/systems/s1/stats'
        ? jsonResponse({
            from: url.searchParams.get('from'), to: url.searchParams.get('to'), total: 11,
            rows: [
              { day: '2026-11-01', status: 200, count: 5 },
              { day: '2026-11-01', status: 404, count: 2 },
              { day: '2026-11-02', status: 200, count: 3 },
              { day: '2026-11-02', status: 500, count: 1 },
            ],
          })
        : undefined,
    );
    const user = setupUser();
    const tab = await openTab(user, 'Statistics', TID.systemStats);
    const totals = await within(tab).findByTestId(TID.statsTotals);
    expect([...totals.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['Total', '8', '2', '1', '11']);
    const row = within(tab).getByText('2026-11-01').closest('tr') as HTMLElement;
    expect([...row.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['2026-11-01', '5', '2', '0', '7']);
    expect(within(tab).getByTestId(TID.statsTotal)).toHaveTextContent(': 11');
    const chart = within(tab).getByRole('figure', { name: 'Requests per day by status class' });
    // The chart library arrives in its own chunk: wait for its legend, then count the stacks.
    await waitFor(() => expect([...chart.querySelectorAll('.recharts-legend-item-text')].map((e) => e.textContent)).toEqual(['2xx', '4xx', '5xx']));
    expect(chart.querySelectorAll('.recharts-bar-rectangle path')).toHaveLength(4);
    const first = calls.find((c) => c.path === '/systems/s1/stats');
    expect(first?.url.searchParams.get('from')).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    await user.click(within(within(tab).getByTestId(TID.statsPeriod)).getByRole('radio', { name: 'Today' }));
    await waitFor(() => {
      const last = calls.filter((c) => c.path === '/systems/s1/stats').at(-1);
      expect(last?.url.searchParams.get('from')).toBe(last?.url.searchParams.get('to'));
    });

    await user.click(within(tab).getByTestId(TID.statsExport));
    expect(blobs).toHaveLength(1);
    expect(await readBlob(blobs[0] as Blob)).toBe('Date (UTC),200,404,500,Total\r\n2026-11-01,5,2,0,7\r\n2026-11-02,3,0,1,4\r\nTotal,8,2,1,11\r\n');
  });

  it('has no Statistics tab without stats.read', async () => {
    api(['certificates.read'], ({ path }) => (path === '/systems/s1/webhooks' ? jsonResponse({ items: [], total: 0, page: 1, page_size: 200 }) : undefined));
    renderApp('/systems/s1');
    const tabs = await screen.findByTestId(TID.systemTabs);
    expect(await within(tabs).findByText('Webhooks')).toBeInTheDocument();
    expect(within(tabs).queryByText('Statistics')).toBeNull();
  });
});

describe('SystemFormPage, webhooks', () => {
  it('creates a webhook and shows its secret once; server field errors land on the url field first', async () => {
    let posts = 0;
    const calls = api(['certificates.read', 'certificates.write'], ({ method, path }) => {
      if (method === 'GET' && path === '/systems/s1/webhooks') return jsonResponse({ items: posts > 1 ? [HOOK] : [], total: 0, page: 1, page_size: 200 });
      if (method === 'POST' && path === '/systems/s1/webhooks') {
        posts += 1;
        if (posts === 1) {
          return jsonResponse({ status: 400, code: 'validation.failed', title: 'Invalid input', errors: [{ field: 'url', code: 'webhook.privateAddress', message: 'resolves to a private address' }] }, 400);
        }
        return jsonResponse({ ...HOOK, secret: 'whsec_abc123' }, 201);
      }
      return undefined;
    });
    const user = setupUser();
    const tab = await openTab(user, 'Webhooks', TID.systemWebhooks);
    await user.click(within(tab).getByText('Add webhook'));
    const dialog = await screen.findByTestId(TID.webhookDialog);
    await pasteInto(user, within(dialog).getByPlaceholderText('https://'), 'https://10.0.0.1/hook');
    await user.click(within(dialog).getByText('Certificate revoked'));
    await user.click(within(dialog).getByText('Create'));
    expect(await within(dialog).findByText('resolves to a private address')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ url: 'https://10.0.0.1/hook', events: ['certificate.revoked'], enabled: true });

    const url = within(dialog).getByPlaceholderText('https://');
    await user.clear(url);
    await pasteInto(user, url, HOOK.url);
    await user.click(within(dialog).getByText('Create'));
    const reveal = await screen.findByTestId(TID.webhookSecretDialog);
    expect(within(reveal).getByTestId(TID.webhookSecretValue)).toHaveValue('whsec_abc123');
    await user.click(within(reveal).getByText('Done'));
    await waitFor(() => expect(screen.queryByTestId(TID.webhookSecretValue)).toBeNull());
    expect(await within(tab).findByText(HOOK.url)).toBeInTheDocument();
    expect(screen.queryByText('whsec_abc123')).toBeNull();
    expect(document.body.innerHTML).not.toContain('whsec_abc123');
  });

  it('keeps the webhooks page in the URL under its own prefix', async () => {
    const calls = api(['certificates.read'], ({ method, path, url }) =>
      method === 'GET' && path === '/systems/s1/webhooks'
        ? jsonResponse({ items: [{ ...HOOK, url: `https://hooks.example.com/p${url.searchParams.get('page')}` }], total: 45, page: Number(url.searchParams.get('page')), page_size: 20 })
        : undefined,
    );
    const user = setupUser();
    const tab = await openTab(user, 'Webhooks', TID.systemWebhooks);
    await within(tab).findByText('https://hooks.example.com/p1');
    await user.click(within(tab).getByTitle('2'));
    expect(await within(tab).findByText('https://hooks.example.com/p2')).toBeInTheDocument();
    expect(currentUrl().searchParams.get('wh_page')).toBe('2');
    expect(currentUrl().searchParams.get('page')).toBeNull();
    expect(calls.filter((c) => c.path === '/systems/s1/webhooks').at(-1)?.url.searchParams.get('page')).toBe('2');
  });

  it('shows the delivery log; Redeliver and Send test event post to their URLs', async () => {
    const calls = api(['certificates.read', 'certificates.write'], ({ method, path }) => {
      if (method === 'GET' && path === '/systems/s1/webhooks') return jsonResponse({ items: [HOOK], total: 1, page: 1, page_size: 200 });
      if (method === 'GET' && path === '/systems/s1/webhooks/w1/deliveries') return jsonResponse({ items: [DELIVERY], total: 1, page: 1, page_size: 20 });
      if (method === 'POST' && path === '/systems/s1/webhooks/w1/deliveries/d1/redeliver') return jsonResponse({ ...DELIVERY, state: 'pending' });
      if (method === 'POST' && path === '/systems/s1/webhooks/w1/test') return jsonResponse({ ...DELIVERY, id: 'd2', event: 'webhook.test', state: 'pending' });
      return undefined;
    });
    const user = setupUser();
    const tab = await openTab(user, 'Webhooks', TID.systemWebhooks);
    await within(tab).findByText(HOOK.url);
    await user.click(within(tab).getByText('Send test event'));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.path === '/systems/s1/webhooks/w1/test')).toBe(true));

    await user.click(within(tab).getByText('Delivery log'));
    const drawer = await screen.findByTestId(TID.webhookDeliveries);
    expect(await within(drawer).findByText('upstream broke')).toBeInTheDocument();
    expect(within(drawer).getByText('Failed')).toBeInTheDocument();
    expect(within(drawer).getByText('42 ms')).toBeInTheDocument();
    await user.click(within(drawer).getByText('Redeliver'));
    await waitFor(() => expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toContain('/systems/s1/webhooks/w1/deliveries/d1/redeliver'));
  });
});
