import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { jsonResponse, mockApi, renderAt, setupUser } from '../../../test/render';
import { makeMe } from '../../../test/fixtures';
import { TID } from '../../../testids';
import { ProvidersListPage } from './ProvidersListPage';

const ADMIN = makeMe(['providers.read', 'providers.write', 'users.read', 'audit.read']);
const provider = (id: string, name: string, usersCount?: number) => ({
  id, name, type: 'oidc', active: false, button_label: '', base_group_ids: [], allow_user_creation: false,
  user_type_id: null, params: {}, mappings: [], version: 1, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z',
  ...(usersCount === undefined ? {} : { users_count: usersCount }),
});
const ROWS = [provider('p1', 'Corporate IdP'), provider('p2', 'Partner IdP')];
const COUNTS: Record<string, number> = { p1: 3, p2: 4 };

function api() {
  return mockApi(({ method, path }) => {
    if (path === '/auth/me') return jsonResponse(ADMIN);
    if (method === 'GET' && path === '/providers') return jsonResponse({ items: ROWS, total: 2, page: 1, page_size: 20 });
    const one = /^\/providers\/(p\d)$/.exec(path);
    if (method === 'GET' && one) {
      const row = ROWS.find((r) => r.id === one[1])!;
      return jsonResponse(provider(row.id, row.name, COUNTS[row.id]));
    }
    return undefined;
  });
}

describe('ProvidersListPage delete confirmation', () => {
  it('shows the users count from the row menu', async () => {
    const user = setupUser();
    const calls = api();
    renderAt(<ProvidersListPage />, { route: '/providers' });

    const row = (await screen.findByText('Corporate IdP')).closest('tr') as HTMLElement;
    await user.click(within(row).getByTestId(TID.rowActions));
    await user.click(await screen.findByTestId(TID.rowActionDelete));
    const dialog = await screen.findByRole('dialog');
    expect(await within(dialog).findByText(/Users who came through this provider: 3\./)).toBeInTheDocument();
    expect(calls.some((c) => c.path === '/providers/p1')).toBe(true);
  });

  it('shows the users count of the selection from the bulk bar', async () => {
    const user = setupUser();
    api();
    renderAt(<ProvidersListPage />, { route: '/providers' });
    await user.click(await screen.findByRole('checkbox', { name: 'Select Corporate IdP' }));
    await user.click(screen.getByRole('checkbox', { name: 'Select Partner IdP' }));
    await user.click(screen.getByTestId(TID.bulkDelete));
    const dialog = await screen.findByRole('dialog');
    expect(await within(dialog).findByText(/Users who came through the selected providers: 7\./)).toBeInTheDocument();
    expect(within(dialog).getByText(/Selected objects will be deleted: 2/)).toBeInTheDocument();
  });
});
