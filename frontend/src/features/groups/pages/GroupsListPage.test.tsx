import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import { currentUrl, jsonResponse, mockApi, renderApp, setupUser } from '../../../test/render';
import { makeMe } from '../../../test/fixtures';
import { TID } from '../../../testids';

const group = { id: 'g1', code: 'operators', name: 'Operators', system: false, permissions: [], member_count: 0, version: 2, created_at: '2024-01-01T00:00:00Z', updated_at: '2024-01-01T00:00:00Z' };

describe('GroupsListPage', () => {
  it('opens a row with a double click, and the form’s Cancel comes back to the same list view', async () => {
    const user = setupUser();
    mockApi(({ method, path }) => {
      if (path === '/auth/me') return jsonResponse(makeMe(['users.read', 'users.write']));
      if (path === '/permissions') return jsonResponse([]);
      if (method === 'GET' && path === '/groups') return jsonResponse({ items: [group], total: 1, page: 1, page_size: 20 });
      if (method === 'GET' && path === '/groups/g1') return jsonResponse(group);
      return undefined;
    });
    renderApp('/groups?system=false&q=op');
    await user.dblClick(await screen.findByText('operators'));
    await waitFor(() => expect(currentUrl().pathname).toBe('/groups/g1'));
    await user.click(await screen.findByTestId(TID.formCancel));
    await waitFor(() => expect(currentUrl().pathname + currentUrl().search).toBe('/groups?system=false&q=op'));
    expect(await screen.findByTestId(TID.tableAdd)).toBeInTheDocument();
  });
});
