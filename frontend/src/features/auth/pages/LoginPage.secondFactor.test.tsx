import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { currentUrl, jsonResponse, mockApi, renderApp } from '../../../test/render';
import { makeMe } from '../../../test/fixtures';

const unauthenticated = () => jsonResponse({ status: 401, code: 'auth.unauthenticated', detail: 'no session' }, 401);

async function passwordStep() {
  fireEvent.change(await screen.findByLabelText('Login'), { target: { value: 'anna' } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'pw-1' } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  return screen.findByText('Enter the 6-digit code from your authenticator app.');
}

describe('LoginPage second factor', () => {
  it('asks for the code after the password and signs in with it', async () => {
    document.cookie = 'custos_csrf=t';
    let signedIn = false;
    let tries = 0;
    const calls = mockApi(({ method, path }) => {
      if (path === '/auth/me') return signedIn ? jsonResponse(makeMe(['audit.read'])) : unauthenticated();
      if (method === 'POST' && path === '/auth/login') return jsonResponse({ second_factor: 'totp', challenge: 'ch-1' });
      if (method === 'POST' && path === '/auth/login/second-factor') {
        tries++;
        if (tries === 1) return jsonResponse({ status: 401, code: 'mfa.codeReused' }, 401);
        signedIn = true;
        return jsonResponse(makeMe(['audit.read']));
      }
      if (path === '/audit') return jsonResponse({ items: [], total: 0, page: 1, page_size: 20 });
      return undefined;
    });
    renderApp('/login?next=/audit');
    await passwordStep();
    expect(currentUrl().pathname).toBe('/login');
    fireEvent.change(screen.getByLabelText('Code'), { target: { value: '123 456' } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('This code was already used. Wait for the next one.');
    fireEvent.change(screen.getByLabelText('Code'), { target: { value: '654321' } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));
    await waitFor(() => expect(currentUrl().pathname).toBe('/audit'));
    const sent = calls.filter((c) => c.path === '/auth/login/second-factor').map((c) => c.body);
    expect(sent).toEqual([
      { challenge: 'ch-1', code: '123456' },
      { challenge: 'ch-1', code: '654321' },
    ]);
  });

  it('accepts a recovery code and sends an expired challenge back to the password', async () => {
    document.cookie = 'custos_csrf=t';
    const calls = mockApi(({ method, path }) => {
      if (path === '/auth/me') return unauthenticated();
      if (method === 'POST' && path === '/auth/login') return jsonResponse({ second_factor: 'totp', challenge: 'ch-2' });
      if (method === 'POST' && path === '/auth/login/second-factor') return jsonResponse({ status: 401, code: 'mfa.challengeInvalid' }, 401);
      return undefined;
    });
    renderApp('/login');
    await passwordStep();
    fireEvent.click(screen.getByRole('button', { name: 'Use a recovery code' }));
    fireEvent.change(await screen.findByLabelText('Recovery code'), { target: { value: ' abcde-fghij ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The sign-in has expired. Enter your password again.');
    expect(calls.find((c) => c.path === '/auth/login/second-factor')?.body).toEqual({ challenge: 'ch-2', recovery_code: 'abcde-fghij' });
    fireEvent.click(screen.getByRole('button', { name: 'Back to sign-in' }));
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeVisible();
    expect(screen.queryByText('Enter one of your recovery codes. Each works once.')).not.toBeInTheDocument();
  });
});
