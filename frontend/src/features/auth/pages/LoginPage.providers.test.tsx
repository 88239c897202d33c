import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import { currentUrl, jsonResponse, mockApi, renderApp } from '../../../test/render';
import { silentEntry } from '../../../app/silentEntry';
import i18n from '../../../i18n';

const unauthenticated = () => jsonResponse({ status: 401, code: 'auth.unauthenticated', detail: 'no session' }, 401);

describe('LoginPage with providers', () => {
  it('shows one button per active OpenID provider, starting its sign-in with next', async () => {
    mockApi(({ path }) => {
      if (path === '/auth/me') return unauthenticated();
      if (path === '/auth/providers') return jsonResponse([{ id: 'p1', label: 'Corporate SSO' }, { id: 'p2', label: 'Partner ID' }]);
      return undefined;
    });
    renderApp('/login?next=%2Fusers%3Fpage%3D2');
    const sso = await screen.findByRole('link', { name: 'Corporate SSO' });
    expect(sso).toHaveAttribute('href', '/api/v1/auth/oidc/p1/start?next=%2Fusers%3Fpage%3D2');
    expect(screen.getByRole('link', { name: 'Partner ID' })).toHaveAttribute('href', '/api/v1/auth/oidc/p2/start?next=%2Fusers%3Fpage%3D2');
    expect(screen.getByText('or sign in with')).toBeInTheDocument();
  });

  it('shows no provider block without active OpenID providers', async () => {
    const calls = mockApi(({ path }) => {
      if (path === '/auth/me') return unauthenticated();
      if (path === '/auth/providers') return jsonResponse([]);
      return undefined;
    });
    renderApp('/login');
    await screen.findByLabelText('Login');
    await waitFor(() => expect(calls.some((c) => c.path === '/auth/providers')).toBe(true));
    expect(screen.queryByText('or sign in with')).not.toBeInTheDocument();
  });

  it('shows the refusal an external sign-in came back with, in English and in the seed\'s Russian', async () => {
    mockApi(({ path }) => {
      if (path === '/auth/me') return unauthenticated();
      if (path === '/auth/providers') return jsonResponse([]);
      return undefined;
    });
    renderApp('/login?error=signin.accountNotProvisioned');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'No account has been created for the user named in the request. Please contact the System Administrator.',
    );
    await i18n.changeLanguage('ru');
    await waitFor(() =>
      expect(screen.getByRole('alert')).toHaveTextContent(
        'Для указанного в запросе пользователя не создана учетная запись. Необходимо обратиться к Администратору Системы.',
      ),
    );
  });

  it('shows a generic message for an unknown or malformed error code', async () => {
    mockApi(({ path }) => {
      if (path === '/auth/me') return unauthenticated();
      if (path === '/auth/providers') return jsonResponse([]);
      return undefined;
    });
    renderApp('/login?error=%3Cscript%3E');
    expect(await screen.findByRole('alert')).toHaveTextContent('Signing in through the provider failed.');
  });

  it('tries the silent OpenID entry once per tab on a first visit, then shows the login page', async () => {
    window.sessionStorage.clear();
    const go = vi.spyOn(silentEntry, 'navigate').mockImplementation(() => undefined);
    mockApi(({ path }) => {
      if (path === '/auth/me') return unauthenticated();
      if (path === '/auth/providers') return jsonResponse([]);
      return undefined;
    });
    const first = renderApp('/groups?sort=name');
    await waitFor(() => expect(go).toHaveBeenCalledWith('/api/v1/auth/oidc/silent?next=%2Fgroups%3Fsort%3Dname'));
    expect(currentUrl().pathname).toBe('/groups');
    first.unmount();

    renderApp('/groups?sort=name');
    await waitFor(() => expect(currentUrl().pathname).toBe('/login'));
    expect(currentUrl().searchParams.get('next')).toBe('/groups?sort=name');
    expect(go).toHaveBeenCalledTimes(1);
  });
});
