import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { jsonResponse, mockApi, renderAt } from '../../../test/render';
import { TID } from '../../../testids';
import { UserSessionsTab } from './UserSessionsTab';

const session = (id: string, current: boolean) => ({
  id, current, ip: '10.0.0.7', user_agent: 'Firefox/140', created_at: '2025-01-02T10:00:00Z',
  last_seen_at: '2025-01-02T11:00:00Z', expires_at: '2025-01-02T22:00:00Z',
});

describe('UserSessionsTab', () => {
  it('lists the sessions, marks the current one, and ends them all after a confirmation', async () => {
    document.cookie = 'custos_csrf=t';
    let open = [session('a', true), session('b', false)];
    const calls = mockApi(({ method, path }) => {
      if (method === 'GET' && path === '/users/u1/sessions') return jsonResponse({ items: open, total: open.length, page: 1, page_size: 200 });
      if (method === 'POST' && path === '/users/u1/sessions/end') {
        open = [];
        return jsonResponse({ ended: 2 });
      }
      return undefined;
    });
    renderAt(<UserSessionsTab userId="u1" login="olga" canEnd />);
    expect(await screen.findByText('this session')).toBeInTheDocument();
    expect(screen.getAllByText('10.0.0.7')).toHaveLength(2);

    fireEvent.click(screen.getByTestId(TID.userSessionsEnd));
    const dialog = await screen.findByTestId(TID.userSessionsEndConfirm);
    expect(dialog).toHaveTextContent('olga');
    fireEvent.click(within(dialog).getByText('End sessions').closest('button')!);
    expect(await screen.findByText('Sessions ended: 2')).toBeInTheDocument();
    expect(await screen.findByText('No open sessions')).toBeInTheDocument();
    await waitFor(() => expect(calls.filter((c) => c.path === '/users/u1/sessions/end')).toHaveLength(1));
  });

  it('offers no End sessions button without users.write', async () => {
    mockApi(({ path }) => (path === '/users/u1/sessions' ? jsonResponse({ items: [session('a', false)], total: 1, page: 1, page_size: 200 }) : undefined));
    renderAt(<UserSessionsTab userId="u1" login="olga" canEnd={false} />);
    expect(await screen.findByText('10.0.0.7')).toBeInTheDocument();
    expect(screen.queryByTestId(TID.userSessionsEnd)).toBeNull();
  });
});
