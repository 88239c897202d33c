import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import { currentUrl, jsonResponse, mockApi, renderApp, setupUser } from '../../../test/render';
import type { Me } from '../../../api/types';

const me: Me = {
  user: {
    id: 'u1',
    login: 'tech_admin',
    email: '',
    display_name: 'Tech Admin',
    user_type_id: null,
    active: true,
    ldap_precheck: false,
    group_ids: [],
    extra_attributes: {},
    attributes: {},
    source_provider_id: null,
    last_login_at: null,
    version: 1,
    created_at: '2024-01-01T00:00:00Z',
    updated_at: '2024-01-01T00:00:00Z',
  },
  groups: [{ id: 'g1', code: 'tech_admins', name: 'Tech admins' }],
  permissions: ['users.read', 'users.write', 'audit.read'],
};

const unauthenticated = () => jsonResponse({ status: 401, code: 'auth.unauthenticated', detail: 'no session' }, 401);
const emptyList = () => jsonResponse({ items: [], total: 0, page: 1, page_size: 20 });

async function fillAndSubmit(login: string, password: string) {
  const user = setupUser();
  await user.type(await screen.findByLabelText('Login'), login);
  await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('LoginPage', () => {
  it('shows the wrong-password message from auth.invalidCredentials', async () => {
    document.cookie = 'custos_csrf=t';
    const calls = mockApi(({ method, path }) => {
      if (path === '/auth/me') return unauthenticated();
      if (method === 'POST' && path === '/auth/login') {
        return jsonResponse({ status: 401, code: 'auth.invalidCredentials', detail: 'invalid credentials' }, 401);
      }
      return undefined;
    });
    renderApp('/login');
    await fillAndSubmit('alice', 'wrong');
    expect(await screen.findByRole('alert')).toHaveTextContent('Invalid login or password.');
    expect(calls.find((c) => c.path === '/auth/login')?.body).toEqual({ login: 'alice', password: 'wrong' });
    expect(currentUrl().pathname).toBe('/login');
  });

  it('shows the throttling message on 429 with the wait from Retry-After', async () => {
    document.cookie = 'custos_csrf=t';
    mockApi(({ path }) => {
      if (path === '/auth/me') return unauthenticated();
      if (path === '/auth/login') return jsonResponse({ status: 429, code: 'auth.tooManyAttempts' }, 429, { 'Retry-After': '30' });
      return undefined;
    });
    renderApp('/login');
    await fillAndSubmit('alice', 'x');
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many sign-in attempts. Try again in 30 s.');
  });

  it('sends an unauthenticated visitor to /login?next=… and back there after signing in', async () => {
    document.cookie = 'custos_csrf=t';
    let signedIn = false;
    mockApi(({ method, path }) => {
      if (path === '/auth/me') return signedIn ? jsonResponse(me) : unauthenticated();
      if (method === 'POST' && path === '/auth/login') {
        signedIn = true;
        return jsonResponse(me);
      }
      if (path === '/groups') return emptyList();
      return undefined;
    });
    renderApp('/groups?sort=name&order=asc');
    await waitFor(() => expect(currentUrl().pathname).toBe('/login'));
    expect(currentUrl().searchParams.get('next')).toBe('/groups?sort=name&order=asc');

    await fillAndSubmit('tech_admin', 'secret');
    await waitFor(() => expect(currentUrl().pathname).toBe('/groups'));
    expect(currentUrl().searchParams.get('sort')).toBe('name');
    expect(await screen.findByRole('heading', { name: 'Groups' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Audit log' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Users' })).toBeInTheDocument();
  });

  it('hides navigation items the user lacks permission for', async () => {
    mockApi(({ path }) => {
      if (path === '/auth/me') return jsonResponse({ ...me, permissions: ['audit.read'] });
      if (path === '/audit') return emptyList();
      return undefined;
    });
    renderApp('/');
    await waitFor(() => expect(currentUrl().pathname).toBe('/audit'));
    expect(await screen.findByRole('link', { name: 'Audit log' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Users' })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Groups' })).not.toBeInTheDocument();
  });
});
