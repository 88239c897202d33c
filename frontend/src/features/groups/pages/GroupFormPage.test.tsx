import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { currentUrl, jsonResponse, mockApi, renderApp, setupUser } from '../../../test/render';
import { makeMe } from '../../../test/fixtures';
import { TID } from '../../../testids';

const group = { id: 'g1', code: 'operators', name: 'Operators', system: false, permissions: [], member_count: 0, version: 2, created_at: '2024-01-01T00:00:00Z', updated_at: '2024-01-01T00:00:00Z' };

describe('GroupFormPage', () => {
  it('deletes a group after confirmation and goes back to the list', async () => {
    document.cookie = 'custos_csrf=t';
    const user = setupUser();
    const deleted: string[] = [];
    mockApi(({ method, path }) => {
      if (path === '/auth/me') return jsonResponse(makeMe(['users.read', 'users.write']));
      if (path === '/permissions') return jsonResponse([]);
      if (method === 'GET' && path === '/groups/g1') return jsonResponse(group);
      if (method === 'DELETE' && path === '/groups/g1') {
        deleted.push('g1');
        return new Response(null, { status: 204 });
      }
      if (method === 'GET' && path === '/groups') return jsonResponse({ items: [], total: 0, page: 1, page_size: 20 });
      return undefined;
    });
    renderApp('/groups/g1');
    expect(await screen.findByRole('heading', { name: /Operators/ })).toBeInTheDocument();
    await user.click(screen.getByTestId(TID.formDelete));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(currentUrl().pathname).toBe('/groups'));
    expect(deleted).toEqual(['g1']);
  });
});

describe('GroupFormPage second-factor policy', () => {
  it('switches the policy on with its grace period and sends both', async () => {
    document.cookie = 'custos_csrf=t';
    const user = setupUser();
    const calls = mockApi(({ method, path, body }) => {
      if (path === '/auth/me') return jsonResponse(makeMe(['users.read', 'users.write']));
      if (path === '/permissions') return jsonResponse([]);
      if (method === 'GET' && path === '/groups/g1')
        return jsonResponse({ ...group, second_factor_required: false, second_factor_grace_days: 7 });
      if (method === 'PATCH' && path === '/groups/g1') return jsonResponse({ ...group, ...(body as object), version: 3 });
      if (method === 'GET' && path === '/groups') return jsonResponse({ items: [], total: 0, page: 1, page_size: 20 });
      return undefined;
    });
    renderApp('/groups/g1');
    const sw = await screen.findByRole('switch', { name: 'Second factor required' });
    expect(sw).not.toBeChecked();
    await user.click(sw);
    const days = screen.getByRole('spinbutton', { name: 'Days to set one up' });
    await user.clear(days);
    await user.type(days, '0');
    await user.click(screen.getByTestId(TID.formSave));
    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true));
    const patch = calls.find((c) => c.method === 'PATCH');
    expect(patch?.body).toMatchObject({ version: 2, second_factor_required: true, second_factor_grace_days: 0 });
  });
});
