import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import { currentUrl, jsonResponse, mockApi, pasteInto, renderApp, setupUser } from '../../../test/render';
import { makeMe } from '../../../test/fixtures';
import { TID } from '../../../testids';

const ADMIN = makeMe(['providers.read', 'providers.write', 'users.read', 'audit.read']);
const list = (items: unknown[] = []) => jsonResponse({ items, total: items.length, page: 1, page_size: 200 });

function api(opts: { licence?: 'on_premise' | 'cloud'; onPost?: (body: unknown) => Response } = {}) {
  return mockApi(({ method, path, body }) => {
    if (path === '/auth/me') return jsonResponse(ADMIN);
    if (path === '/groups') return list([{ id: 'g1', code: 'operators', name: 'Operators' }]);
    if (path === '/user-types') return list([{ id: 't1', code: 'staff', name: 'Staff' }]);
    if (path === '/attributes') return list([{ id: 'a1', code: 'user_roles', name: 'Role', type: 'list' }]);
    if (path === '/settings/licence') return jsonResponse({ access_type: opts.licence ?? 'on_premise' });
    if (method === 'POST' && path === '/providers' && opts.onPost) return opts.onPost(body);
    return undefined;
  });
}

async function chooseType(user: ReturnType<typeof setupUser>, label: string) {
  await user.click(await screen.findByRole('combobox', { name: 'Type' }));
  // antd's options carry their label as title; the selected value shows with the same title.
  await waitFor(() => expect(screen.getAllByTitle(label).some((o) => o.classList.contains('ant-select-item-option'))).toBe(true));
  await user.click(screen.getAllByTitle(label).find((o) => o.classList.contains('ant-select-item-option'))!);
}

describe('ProviderFormPage', () => {
  it('OpenID: the button label is there, and the user type appears once creating users is allowed', async () => {
    const user = setupUser();
    api();
    renderApp('/providers/new');
    expect(await screen.findByRole('heading', { name: 'New provider' })).toBeInTheDocument();
    expect(await screen.findByLabelText('Third-party sign-in button caption')).toBeInTheDocument();
    expect(screen.queryByLabelText('User type')).not.toBeInTheDocument();
    await user.click(screen.getByRole('switch', { name: 'Allow creating new users through external management' }));
    expect(await screen.findByLabelText('User type')).toBeInTheDocument();
  });

  it('LDAP: no button label; the port follows SSL and the username attribute the server type', async () => {
    const user = setupUser();
    api();
    renderApp('/providers/new');
    await chooseType(user, 'LDAP');
    await waitFor(() => expect(screen.queryByLabelText('Third-party sign-in button caption')).not.toBeInTheDocument());
    await user.click(screen.getByRole('tab', { name: 'Parameters' }));
    expect(screen.getByLabelText('Port number')).toHaveValue('389');
    expect(screen.getByLabelText('Username attribute')).toHaveValue('sAMAccountName');
    await user.click(screen.getByRole('radio', { name: 'SSL/TLS' }));
    await waitFor(() => expect(screen.getByLabelText('Port number')).toHaveValue('636'));
    expect(screen.getByLabelText('Trusted CA certificate (PEM)')).toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: 'Plain' }));
    await waitFor(() => expect(screen.getByLabelText('Port number')).toHaveValue('389'));
    await user.click(screen.getByRole('combobox', { name: 'LDAP provider type' }));
    await user.click(screen.getAllByTitle('OpenLDAP').find((o) => o.classList.contains('ant-select-item-option'))!);
    await waitFor(() => expect(screen.getByLabelText('Username attribute')).toHaveValue('uid'));
  });

  it('local: no Parameters tab', async () => {
    const user = setupUser();
    api();
    renderApp('/providers/new');
    expect(await screen.findByRole('tab', { name: 'Parameters' })).toBeInTheDocument();
    await chooseType(user, 'Local (user_permissions)');
    await waitFor(() => expect(screen.queryByRole('tab', { name: 'Parameters' })).not.toBeInTheDocument());
    expect(screen.getByRole('tab', { name: 'Schema mapping' })).toBeInTheDocument();
  });

  it('locks user creation under a cloud licence and explains why', async () => {
    api({ licence: 'cloud' });
    renderApp('/providers/new');
    expect(await screen.findByTestId(TID.providerCloudLock)).toHaveTextContent('Locked under a Cloud licence');
    expect(screen.getByRole('switch', { name: 'Allow creating new users through external management' })).toBeDisabled();
  });

  it('puts a server error on its field in its tab, sends only the type’s parameters, and opens the edit form after create', async () => {
    document.cookie = 'custos_csrf=t';
    const user = setupUser();
    const posts: unknown[] = [];
    const created = { id: 'p9', name: 'Corp', type: 'rest', active: false, button_label: '', base_group_ids: [], allow_user_creation: false, user_type_id: null, params: { external_url: 'https://x.test' }, mappings: [], version: 1, created_at: '', updated_at: '' };
    const calls = api({
      onPost: (body) => {
        posts.push(body);
        if (posts.length === 1) {
          return jsonResponse({ status: 400, code: 'validation.failed', detail: 'invalid', errors: [{ field: 'params.external_url', code: 'invalidFormat', message: 'bad' }] }, 400);
        }
        return jsonResponse(created, 201);
      },
    });
    renderApp('/providers/new');
    await chooseType(user, 'External REST');
    await pasteInto(user, screen.getByLabelText('Name'), 'Corp');
    await user.click(screen.getByRole('tab', { name: 'Parameters' }));
    await pasteInto(user, screen.getByLabelText('External URL'), 'https://x.test');
    await user.click(screen.getByRole('tab', { name: 'Main' }));
    await user.click(screen.getByTestId(TID.formSave));

    expect(await screen.findByText('Invalid format')).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Parameters' })).toHaveAttribute('aria-selected', 'true');
    expect(posts[0]).toEqual({ name: 'Corp', type: 'rest', active: false, base_group_ids: [], allow_user_creation: false, mappings: [], params: { external_url: 'https://x.test' } });

    calls.length = 0;
    mockApiGet(created);
    await user.click(screen.getByTestId(TID.formSave));
    await waitFor(() => expect(currentUrl().pathname).toBe('/providers/p9'));
    expect(await screen.findByRole('heading', { name: 'Provider Corp' })).toBeInTheDocument();
  });
});

/** mockApiGet lets the edit form load the created provider (and its history) after the redirect. */
function mockApiGet(created: { id: string }) {
  const prev = globalThis.fetch;
  globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://localhost');
    if (url.pathname === `/api/v1/providers/${created.id}`) return jsonResponse(created);
    if (url.pathname === '/api/v1/audit') return list();
    return prev(input, init);
  }) as typeof fetch;
}
