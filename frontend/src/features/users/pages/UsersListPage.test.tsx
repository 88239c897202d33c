import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import { jsonResponse, mockApi, renderApp } from '../../../test/render';
import { makeMe, makeUser } from '../../../test/fixtures';
import { TID } from '../../../testids';

describe('UsersListPage', () => {
  it('asks the API for the view in the URL and shows the rows', async () => {
    const calls = mockApi(({ path }) => {
      if (path === '/auth/me') return jsonResponse(makeMe(['users.read']));
      if (path === '/user-types') return jsonResponse({ items: [{ id: 't1', code: 'staff', name: 'Staff', quota: 0, active_users: 1, version: 1, created_at: '', updated_at: '' }], total: 1, page: 1, page_size: 200 });
      if (path === '/users') {
        return jsonResponse({ items: [makeUser({ user_type_id: 't1' })], total: 1, page: 1, page_size: 50 });
      }
      return undefined;
    });
    renderApp('/users?active=true&q=ali&sort=login&order=desc&page_size=50');
    expect(await screen.findByText('alice@example.com')).toBeInTheDocument();
    const req = calls.find((c) => c.path === '/users');
    expect(Object.fromEntries(req?.url.searchParams ?? [])).toEqual({
      active: 'true',
      q: 'ali',
      sort: 'login',
      order: 'desc',
      page: '1',
      page_size: '50',
    });
    await waitFor(() => expect(screen.getByText('Staff', { selector: 'td' })).toBeInTheDocument());
    // Read-only user: no Add button, no bulk delete.
    expect(screen.queryByTestId(TID.tableAdd)).not.toBeInTheDocument();
    expect(screen.getByTestId(TID.tableShownRange)).toHaveTextContent('Shown 1–1 of 1');
  });
});
