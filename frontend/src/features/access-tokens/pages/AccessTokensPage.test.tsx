import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import dayjs from 'dayjs';
import { jsonResponse, mockApi, pasteInto, renderApp, setupUser } from '../../../test/render';
import { makeMe } from '../../../test/fixtures';
import { TID } from '../../../testids';
import type { ApiToken } from '../api/types';
import { daysLeft, expiresSoon } from '../components/TokenStatusTag';
import { expiresAt } from '../components/expiry';

const CATALOGUE = ['users.read', 'users.write', 'apiTokens.read', 'apiTokens.write', 'settings.write', 'selfservice'].map((code) => {
  const [resource, action] = code.includes('.') ? code.split('.') : [code, 'use'];
  return { code, resource, action };
});

function token(over: Partial<ApiToken> = {}): ApiToken {
  return {
    id: 't1', kind: 'api', name: 'CI deploy', prefix: 'cst01', public_id: 'PUBLICID0000000000000001', scopes: ['users.read'],
    status: 'active', owner_id: null, created_by_id: 'admin', created_by_token_id: null, created_by: 'tech_admin', expires_at: null, revoked_at: null,
    last_used_at: null, last_used_ip: '', version: 1, created_at: '2024-01-01T00:00:00Z', updated_at: '2024-01-01T00:00:00Z',
    ...over,
  };
}

describe('AccessTokensPage', () => {
  it('creates a token and reveals it once', async () => {
    const whole = `cst01.PUBLICID0000000000000002.${'s'.repeat(64)}`;
    let items = [token({ expires_at: dayjs().add(2, 'day').add(1, 'hour').toISOString() })];
    const calls = mockApi(({ method, path }) => {
      if (path === '/auth/me') return jsonResponse(makeMe(['apiTokens.read', 'apiTokens.write', 'users.read']));
      if (path === '/permissions') return jsonResponse(CATALOGUE);
      if (method === 'GET' && path === '/tokens') return jsonResponse({ items, total: items.length, page: 1, page_size: 20 });
      if (method === 'POST' && path === '/tokens') {
        const created = token({ id: 't2', name: 'Backup', public_id: 'PUBLICID0000000000000002' });
        items = [created, ...items];
        return jsonResponse({ ...created, token: whole }, 201);
      }
      return undefined;
    });
    const user = setupUser();
    renderApp('/access-tokens');
    expect(await screen.findByText('CI deploy')).toBeInTheDocument();
    expect(screen.getByTestId(TID.tokenExpiringSoon)).toHaveTextContent('Expires in 2 d');

    await user.click(screen.getByRole('button', { name: /Create new token/ }));
    const dialog = await screen.findByTestId(TID.tokenCreateDialog);
    await pasteInto(user, within(dialog).getByLabelText('Name'), 'Backup');
    await user.click(await within(dialog).findByRole('checkbox', { name: /users\.read/ }));
    expect(within(dialog).getByRole('checkbox', { name: /settings\.write/ })).toBeDisabled();
    expect(within(dialog).queryByRole('checkbox', { name: /selfservice/ })).not.toBeInTheDocument();
    await user.click(within(dialog).getByText('90 days'));
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));

    const reveal = await screen.findByTestId(TID.tokenRevealDialog);
    expect(within(reveal).getByTestId(TID.tokenRevealValue)).toHaveValue(whole);
    expect(reveal).toHaveTextContent('You will not see it again');
    const post = calls.find((c) => c.method === 'POST' && c.path === '/tokens');
    expect(post?.body).toMatchObject({ name: 'Backup', scopes: ['users.read'] });
    const exp = dayjs((post?.body as { expires_at: string }).expires_at);
    expect(Math.round(exp.diff(dayjs(), 'hour') / 24)).toBe(90);
    await user.click(within(reveal).getByRole('button', { name: 'I have copied the token' }));
    await waitFor(() => expect(screen.queryByTestId(TID.tokenRevealValue)).not.toBeInTheDocument());
    expect(document.body.textContent).not.toContain(whole);
  });

  it('revokes a token after confirmation', async () => {
    let items = [token()];
    const calls = mockApi(({ method, path }) => {
      if (path === '/auth/me') return jsonResponse(makeMe(['apiTokens.read', 'apiTokens.write']));
      if (method === 'GET' && path === '/tokens') return jsonResponse({ items, total: items.length, page: 1, page_size: 20 });
      if (method === 'POST' && path === '/tokens/t1/revoke') {
        items = [token({ status: 'revoked' })];
        return jsonResponse(items[0]);
      }
      return undefined;
    });
    const user = setupUser();
    renderApp('/access-tokens');
    const row = (await screen.findByText('CI deploy')).closest('tr') as HTMLElement;
    await user.click(within(row).getByTestId(TID.tokenRevoke));
    const confirm = await screen.findByTestId(TID.tokenRevokeConfirm);
    await user.click(within(confirm).getByRole('button', { name: 'Revoke' }));
    await waitFor(() => expect(calls.some((c) => c.path === '/tokens/t1/revoke')).toBe(true));
    expect(await screen.findByText('Revoked')).toBeInTheDocument();
    expect(screen.queryByTestId(TID.tokenRevoke)).not.toBeInTheDocument();
  });
});

describe('token statistics', () => {
  const REPORT = {
    total: 5,
    rows: [
      { day: '2026-11-01', status: 200, count: 4 },
      { day: '2026-11-01', status: 401, count: 1 },
    ],
  };

  it('shows an organisation token’s requests by day and status to a stats.read holder', async () => {
    const calls = mockApi(({ method, path, url }) => {
      if (path === '/auth/me') return jsonResponse(makeMe(['apiTokens.read', 'stats.read']));
      if (path === '/permissions') return jsonResponse(CATALOGUE);
      if (method === 'GET' && path === '/tokens') return jsonResponse({ items: [token()], total: 1, page: 1, page_size: 20 });
      if (method === 'GET' && path === '/tokens/t1/stats') return jsonResponse({ ...REPORT, from: url.searchParams.get('from'), to: url.searchParams.get('to') });
      return undefined;
    });
    const user = setupUser();
    renderApp('/access-tokens');
    await user.dblClick(await screen.findByText('CI deploy'));
    const dialog = await screen.findByTestId(TID.tokenEditDialog);
    await user.click(within(within(dialog).getByTestId(TID.tokenTabs)).getByRole('tab', { name: 'Statistics' }));
    const stats = await within(dialog).findByTestId(TID.tokenStats);
    const totals = await within(stats).findByTestId(TID.statsTotals);
    expect([...totals.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['Total', '4', '1', '5']);
    expect(within(stats).getByTestId(TID.statsTotal)).toHaveTextContent(': 5');
    expect(calls.find((c) => c.path === '/tokens/t1/stats')?.url.searchParams.get('from')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('has no Statistics tab without stats.read', async () => {
    mockApi(({ method, path }) => {
      if (path === '/auth/me') return jsonResponse(makeMe(['apiTokens.read']));
      if (method === 'GET' && path === '/tokens') return jsonResponse({ items: [token()], total: 1, page: 1, page_size: 20 });
      return undefined;
    });
    const user = setupUser();
    renderApp('/access-tokens');
    await user.dblClick(await screen.findByText('CI deploy'));
    const dialog = await screen.findByTestId(TID.tokenEditDialog);
    expect(within(dialog).getByLabelText('Name')).toHaveValue('CI deploy');
    expect(within(dialog).queryByTestId(TID.tokenTabs)).toBeNull();
  });

  it('shows a personal token’s statistics from /me/tokens/{id}/stats', async () => {
    const calls = mockApi(({ method, path }) => {
      if (path === '/auth/me') return jsonResponse(makeMe(['selfservice']));
      if (path === '/permissions') return jsonResponse(CATALOGUE);
      if (method === 'GET' && path === '/me/tokens') return jsonResponse({ items: [token({ kind: 'personal', name: 'My laptop' })], total: 1, page: 1, page_size: 20 });
      if (method === 'GET' && path === '/me/tokens/t1/stats') return jsonResponse({ ...REPORT, from: '2026-11-01', to: '2026-11-07' });
      return undefined;
    });
    const user = setupUser();
    renderApp('/personal-tokens');
    await user.dblClick(await screen.findByText('My laptop'));
    const dialog = await screen.findByTestId(TID.tokenEditDialog);
    await user.click(within(dialog).getByRole('tab', { name: 'Statistics' }));
    const stats = await within(dialog).findByTestId(TID.tokenStats);
    expect(await within(stats).findByTestId(TID.statsTotals)).toHaveTextContent('Total415');
    expect(calls.some((c) => c.path === '/tokens/t1/stats')).toBe(false);
  });
});

describe('token helpers', () => {
  it('computes expiry from presets and flags tokens expiring soon', () => {
    const now = dayjs('2024-03-01T10:00:00Z');
    expect(expiresAt('7', null, now)).toBe('2024-03-08T10:00:00.000Z');
    expect(expiresAt('none', null, now)).toBeNull();
    expect(dayjs(expiresAt('custom', dayjs('2024-04-01T00:00:00'), now)).format('HH:mm')).toBe('23:59');
    expect(daysLeft({ expires_at: null })).toBeNull();
    expect(expiresSoon({ status: 'active', expires_at: now.add(3, 'day').toISOString() }, now)).toBe(true);
    expect(expiresSoon({ status: 'active', expires_at: now.add(30, 'day').toISOString() }, now)).toBe(false);
    expect(expiresSoon({ status: 'revoked', expires_at: now.add(3, 'day').toISOString() }, now)).toBe(false);
  });
});
