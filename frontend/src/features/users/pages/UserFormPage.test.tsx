import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { currentUrl, jsonResponse, mockApi, pasteInto, renderApp, setupUser } from '../../../test/render';
import { makeMe, makeUser } from '../../../test/fixtures';
import { TID } from '../../../testids';

const empty = () => jsonResponse({ items: [], total: 0, page: 1, page_size: 200 });
const ADMIN = makeMe(['users.read', 'users.write', 'audit.read']);

describe('UserFormPage', () => {
  it('sends the version on save; on 409 offers the current state and loads it', async () => {
    document.cookie = 'custos_csrf=t';
    const user = setupUser();
    const patches: unknown[] = [];
    mockApi(({ method, path, body }) => {
      if (path === '/auth/me') return jsonResponse(ADMIN);
      if (path === '/groups' || path === '/user-types') return empty();
      if (method === 'GET' && path === '/users/u1') return jsonResponse(makeUser({ version: 3 }));
      if (method === 'PATCH' && path === '/users/u1') {
        patches.push(body);
        return jsonResponse(
          {
            status: 409,
            code: 'resource.versionConflict',
            detail: 'stale',
            current: makeUser({ version: 4, display_name: 'Alice Cooper' }),
          },
          409,
        );
      }
      return undefined;
    });
    renderApp('/users/u1');
    const name = await screen.findByLabelText('Display name');
    await waitFor(() => expect(name).toHaveValue('Alice'));
    await user.clear(name);
    await pasteInto(user, name, 'Alice B.');
    await user.click(screen.getByTestId(TID.formSave));

    expect(await screen.findByTestId(TID.versionConflict)).toHaveTextContent('This record was changed by someone else');
    expect(patches[0]).toMatchObject({ version: 3, display_name: 'Alice B.', login: 'alice' });
    await user.click(screen.getByTestId(TID.versionConflictReload));
    await waitFor(() => expect(screen.getByLabelText('Display name')).toHaveValue('Alice Cooper'));
    expect(screen.queryByTestId(TID.versionConflict)).not.toBeInTheDocument();
  });

  it('puts server validation errors on the fields, and opens the edit form after create', async () => {
    document.cookie = 'custos_csrf=t';
    const user = setupUser();
    let attempt = 0;
    mockApi(({ method, path }) => {
      if (path === '/auth/me') return jsonResponse(ADMIN);
      if (path === '/groups' || path === '/user-types' || path === '/audit') return empty();
      if (method === 'POST' && path === '/users') {
        attempt += 1;
        if (attempt === 1) {
          return jsonResponse(
            { status: 422, code: 'validation.failed', detail: 'invalid', errors: [{ field: 'login', code: 'taken', message: 'login is taken' }] },
            422,
          );
        }
        return jsonResponse(makeUser({ id: 'new-id', login: 'bob' }), 201);
      }
      if (method === 'GET' && path === '/users/new-id') return jsonResponse(makeUser({ id: 'new-id', login: 'bob' }));
      return undefined;
    });
    renderApp('/users/new');
    await pasteInto(user, await screen.findByLabelText('Login'), 'bob');
    await user.click(screen.getByTestId(TID.formSave));
    expect(await screen.findByText('Already taken')).toBeInTheDocument();
    expect(currentUrl().pathname).toBe('/users/new');

    await user.click(screen.getByTestId(TID.formSave));
    await waitFor(() => expect(currentUrl().pathname).toBe('/users/new-id'));
    expect(await screen.findByRole('heading', { name: 'User bob' })).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Settings change log' })).toBeInTheDocument();
  });
  it('shows the user\'s personal tokens to token administrators and revokes one with confirmation', async () => {
    document.cookie = 'custos_csrf=t';
    const user = setupUser();
    const revoked: string[] = [];
    const token = {
      id: 't9', kind: 'personal', name: 'backup script', prefix: 'csp01', public_id: 'PUBLICID0000000000000009', scopes: ['users.read'],
      status: 'active', owner_id: 'u1', created_by_id: 'u1', created_by: 'alice', expires_at: null, revoked_at: null,
      last_used_at: '2024-02-01T10:00:00Z', last_used_ip: '10.0.0.7', version: 1, created_at: '2024-01-01T00:00:00Z', updated_at: '2024-01-01T00:00:00Z',
    };
    mockApi(({ method, path }) => {
      // May revoke tokens but not change users: the user form is read-only, the revoke button is not.
      if (path === '/auth/me') return jsonResponse(makeMe(['users.read', 'apiTokens.read', 'apiTokens.write']));
      if (path === '/groups' || path === '/user-types') return empty();
      if (method === 'GET' && path === '/users/u1') return jsonResponse(makeUser());
      if (method === 'GET' && path === '/users/u1/tokens') {
        const items = revoked.length ? [{ ...token, status: 'revoked', revoked_at: '2024-03-01T00:00:00Z' }] : [token];
        return jsonResponse({ items, total: 1, page: 1, page_size: 200 });
      }
      if (method === 'POST' && path === '/users/u1/tokens/t9/revoke') {
        revoked.push('t9');
        return jsonResponse({ ...token, status: 'revoked' });
      }
      return undefined;
    });
    renderApp('/users/u1');
    await user.click(await screen.findByRole('tab', { name: 'Personal access tokens' }));
    const table = await screen.findByTestId(TID.userTokens);
    expect(await within(table).findByText('backup script')).toBeInTheDocument();
    expect(within(table).getByText('10.0.0.7')).toBeInTheDocument();
    await user.click(within(table).getByTestId(TID.tokenRevoke));
    const dialog = await screen.findByTestId(TID.tokenRevokeConfirm);
    expect(dialog).toHaveTextContent('scripts using this token will be refused');
    await user.click(within(dialog).getByRole('button', { name: 'Revoke' }));
    await waitFor(() => expect(revoked).toEqual(['t9']));
    await waitFor(() => expect(within(table).queryByTestId(TID.tokenRevoke)).not.toBeInTheDocument());
  });

  it('has no tokens tab for those who may not read tokens', async () => {
    mockApi(({ method, path }) => {
      if (path === '/auth/me') return jsonResponse(ADMIN);
      if (path === '/groups' || path === '/user-types') return empty();
      if (method === 'GET' && path === '/users/u1') return jsonResponse(makeUser());
      return undefined;
    });
    renderApp('/users/u1');
    expect(await screen.findByRole('tab', { name: 'Groups' })).toBeInTheDocument();
    expect(screen.queryByRole('tab', { name: 'Personal access tokens' })).not.toBeInTheDocument();
  });

  it('offers Save and Delete on the tabs of the form only, not on the list of sessions', async () => {
    const user = setupUser();
    mockApi(({ method, path }) => {
      if (path === '/auth/me') return jsonResponse(ADMIN);
      if (path === '/groups' || path === '/user-types' || path === '/audit') return empty();
      if (path === '/users/u1/sessions') return empty();
      if (method === 'GET' && path === '/users/u1') return jsonResponse(makeUser({ version: 3 }));
      return undefined;
    });
    renderApp('/users/u1');
    await screen.findByLabelText('Display name');
    expect(screen.getByTestId(TID.formSave)).toBeInTheDocument();
    await user.click(screen.getByRole('tab', { name: 'Sessions' }));
    await waitFor(() => expect(screen.queryByTestId(TID.formSave)).not.toBeInTheDocument());
    await user.click(screen.getByRole('tab', { name: 'Groups' }));
    expect(await screen.findByTestId(TID.formSave)).toBeInTheDocument();
  });
});
