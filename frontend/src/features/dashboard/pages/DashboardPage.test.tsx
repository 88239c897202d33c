import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { currentUrl, jsonResponse, mockApi, renderApp, setupUser } from '../../../test/render';
import { makeMe } from '../../../test/fixtures';
import { TID } from '../../../testids';
import type { Dashboard } from '../api/dashboard';

const FULL: Dashboard = {
  requests: {
    from: '2026-10-04', to: '2026-11-02', total: 120, errors: 7,
    days: [
      { day: '2026-11-01', total: 100, errors: 5 },
      { day: '2026-11-02', total: 20, errors: 2 },
    ],
  },
  expiring_certificates: {
    count: 12,
    items: [{ id: 'c1', system_id: 's1', system_name: 'Billing', subject: 'CN=Billing', not_after: '2026-11-20T10:00:00Z' }],
  },
  expiring_tokens: { count: 1, items: [{ id: 't1', name: 'CI deploy', expires_at: '2026-11-15T00:00:00Z' }] },
  failed_deliveries: { count: 3 },
};

function api(perms: string[], dashboard: Dashboard) {
  return mockApi(({ path }) => {
    if (path === '/auth/me') return jsonResponse(makeMe(perms));
    if (path === '/dashboard') return jsonResponse(dashboard);
    if (path === '/tokens') return jsonResponse({ items: [], total: 0, page: 1, page_size: 20 });
    if (path === '/tokens/t1') {
      return jsonResponse({
        id: 't1', kind: 'api', name: 'CI deploy', prefix: 'cst01', public_id: 'PUBLICID0000000000000001', scopes: ['users.read'], status: 'active',
        owner_id: null, created_by_id: 'admin', created_by_token_id: null, created_by: 'tech_admin', expires_at: '2026-11-15T00:00:00Z',
        revoked_at: null, last_used_at: null, last_used_ip: '', version: 1, created_at: '2024-01-01T00:00:00Z', updated_at: '2024-01-01T00:00:00Z',
      });
    }
    if (path === '/permissions') return jsonResponse([]);
    return undefined;
  });
}

describe('the home dashboard', () => {
  it('shows requests over 30 days with errors, what expires soon with links, and failed deliveries', async () => {
    api(['stats.read', 'certificates.read', 'apiTokens.read'], FULL);
    const user = setupUser();
    renderApp('/');
    const board = await screen.findByTestId(TID.dashboard);
    expect(currentUrl().pathname).toBe('/');
    expect(within(board).getByTestId(TID.dashboardRequestsTotal)).toHaveTextContent('120');
    expect(within(board).getByTestId(TID.dashboardRequestsErrors)).toHaveTextContent('7');
    const chart = within(board).getByRole('figure', { name: 'Requests per day over the last 30 days: successful and errors' });
    await waitFor(() => expect([...chart.querySelectorAll('.recharts-legend-item-text')].map((e) => e.textContent)).toEqual(['Successful', 'Errors']));

    const certs = within(board).getByTestId(TID.dashboardCertificates);
    expect(within(certs).getByRole('link', { name: 'Billing' })).toHaveAttribute('href', '/systems/s1');
    expect(certs).toHaveTextContent('until 2026-11-20');
    expect(certs).toHaveTextContent('and 11 more');
    expect(within(board).getByTestId(TID.dashboardDeliveries)).toHaveTextContent('3');

    await user.click(within(within(board).getByTestId(TID.dashboardTokens)).getByRole('link', { name: 'CI deploy' }));
    const dialog = await screen.findByTestId(TID.tokenEditDialog);
    expect(within(dialog).getByLabelText('Name')).toHaveValue('CI deploy');
    expect(currentUrl().pathname).toBe('/access-tokens');
  });

  it('shows only the sections the server sent', async () => {
    api(['certificates.read'], { expiring_certificates: { count: 0, items: [] }, failed_deliveries: { count: 0 } });
    renderApp('/');
    const board = await screen.findByTestId(TID.dashboard);
    expect(within(board).getByTestId(TID.dashboardCertificates)).toHaveTextContent('Nothing expires in the next 30 days');
    expect(within(board).queryByTestId(TID.dashboardRequests)).toBeNull();
    expect(within(board).queryByTestId(TID.dashboardTokens)).toBeNull();
  });
});
