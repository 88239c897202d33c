import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { currentUrl, jsonResponse, mockApi, renderApp } from '../../../test/render';
import { makeMe } from '../../../test/fixtures';

const unauthenticated = () => jsonResponse({ status: 401, code: 'auth.unauthenticated', detail: 'no session' }, 401);
const presented = (extra: Record<string, unknown>) =>
  jsonResponse({ presented: true, common_name: 'Anna Token', subject: 'CN=Anna Token', fingerprint_sha256: 'ab'.repeat(32), ...extra });

describe('LoginPage certificate sign-in', () => {
  it('offers the presented certificate by its CN and signs in with it', async () => {
    document.cookie = 'custos_csrf=t';
    let signedIn = false;
    const calls = mockApi(({ method, path }) => {
      if (path === '/auth/me') return signedIn ? jsonResponse(makeMe(['audit.read'])) : unauthenticated();
      if (path === '/auth/certificate') return presented({ usable: true });
      if (method === 'POST' && path === '/auth/login/certificate') {
        signedIn = true;
        return jsonResponse(makeMe(['audit.read']));
      }
      if (path === '/audit') return jsonResponse({ items: [], total: 0, page: 1, page_size: 20 });
      return undefined;
    });
    renderApp('/login?next=/audit');
    fireEvent.click(await screen.findByRole('button', { name: 'Sign in with certificate (CN Anna Token)' }));
    await waitFor(() => expect(currentUrl().pathname).toBe('/audit'));
    expect(calls.filter((c) => c.path === '/auth/login/certificate').map((c) => c.body)).toEqual([{}]);
    expect(calls.some((c) => c.path === '/auth/login')).toBe(false);
  });

  it('shows why a revoked certificate cannot sign in, and the refusal of a try', async () => {
    mockApi(({ method, path }) => {
      if (path === '/auth/me') return unauthenticated();
      if (path === '/auth/certificate') return presented({ usable: false, code: 'auth.certificateRevoked' });
      if (method === 'POST' && path === '/auth/login/certificate')
        return jsonResponse({ status: 401, code: 'auth.certificateRevoked', detail: 'revoked' }, 401);
      return undefined;
    });
    renderApp('/login');
    expect(await screen.findByRole('alert')).toHaveTextContent('The certificate CN Anna Token cannot sign you in: This certificate was revoked.');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in with certificate (CN Anna Token)' }));
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('This certificate was revoked.'));
    expect(currentUrl().pathname).toBe('/login');
  });

  it('offers nothing without a certificate or for one bound to nobody', async () => {
    for (const answer of [{ presented: false, usable: false }, { presented: true, usable: false, code: 'auth.certificateUnknown', common_name: 'Archive' }]) {
      const calls = mockApi(({ path }) => {
        if (path === '/auth/me') return unauthenticated();
        if (path === '/auth/certificate') return jsonResponse(answer);
        return undefined;
      });
      const { unmount } = renderApp('/login');
      await screen.findByRole('button', { name: 'Sign in' });
      await waitFor(() => expect(calls.some((c) => c.path === '/auth/certificate')).toBe(true));
      expect(screen.queryByRole('button', { name: /certificate/ })).toBeNull();
      unmount();
    }
  });

  it('completes the second-factor step with the certificate', async () => {
    document.cookie = 'custos_csrf=t';
    let signedIn = false;
    const calls = mockApi(({ method, path }) => {
      if (path === '/auth/me') return signedIn ? jsonResponse(makeMe(['audit.read'])) : unauthenticated();
      if (path === '/auth/certificate') return presented({ usable: true });
      if (method === 'POST' && path === '/auth/login')
        return jsonResponse({ second_factor: 'totp', second_factors: ['totp', 'certificate'], challenge: 'ch-9' });
      if (method === 'POST' && path === '/auth/login/second-factor/certificate') {
        signedIn = true;
        return jsonResponse(makeMe(['audit.read']));
      }
      if (path === '/audit') return jsonResponse({ items: [], total: 0, page: 1, page_size: 20 });
      return undefined;
    });
    renderApp('/login?next=/audit');
    fireEvent.change(await screen.findByLabelText('Login'), { target: { value: 'anna' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'pw-1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Use my certificate (CN Anna Token)' }));
    await waitFor(() => expect(currentUrl().pathname).toBe('/audit'));
    expect(calls.filter((c) => c.path === '/auth/login/second-factor/certificate').map((c) => c.body)).toEqual([{ challenge: 'ch-9' }]);
  });
});
