import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import { jsonResponse, mockApi, renderApp } from '../test/render';
import { makeMe, makeUser } from '../test/fixtures';
import { TID } from '../testids';
import { fetchMe } from './auth';

// On the mTLS entry a browser that presents an integrated system's certificate is that
// system (GET /auth/me answers a user without an id) until a person signs in.
const systemMe = { ...makeMe(['users.read']), user: makeUser({ id: '', login: '', display_name: 'Billing' }) };

describe('fetchMe', () => {
  it('counts a system (no user) as signed out, a person as signed in', async () => {
    mockApi(() => jsonResponse(systemMe));
    await expect(fetchMe()).rejects.toMatchObject({ status: 401, code: 'auth.unauthenticated' });
    mockApi(() => jsonResponse(makeMe(['users.read'])));
    await expect(fetchMe()).resolves.toMatchObject({ user: { login: 'tech_admin' } });
  });

  it('shows the login page, not the console, to a browser that is only a system', async () => {
    mockApi(({ path }) => (path === '/auth/me' ? jsonResponse(systemMe) : path === '/auth/providers' ? jsonResponse([]) : undefined));
    renderApp('/users');
    expect(await screen.findByTestId(TID.loginForm)).toBeInTheDocument();
    expect(screen.queryByTestId(TID.sideNav)).not.toBeInTheDocument();
  });
});
