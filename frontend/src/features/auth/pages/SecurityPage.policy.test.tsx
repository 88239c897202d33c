import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import { jsonResponse, mockApi, renderApp } from '../../../test/render';
import { makeMe } from '../../../test/fixtures';

const policy = { required: true, required_by: ['administrators'], grace_days: 7 };
const passkey = { id: 'p1', name: 'Laptop', created_at: '2030-01-01T00:00:00Z', backed_up: false };

describe('SecurityPage under a second-factor policy', () => {
  it('will not remove the only factor a group requires, and says why', async () => {
    mockApi(({ path }) => {
      if (path === '/auth/me') return jsonResponse(makeMe(['selfservice']));
      if (path === '/me/factors') return jsonResponse({ totp: true, totp_pending: false, recovery_codes_left: 10, passkeys: 0, policy });
      if (path === '/me/factors/passkeys') return jsonResponse([]);
      return undefined;
    });
    renderApp('/security');
    expect(await screen.findByRole('button', { name: 'Remove authenticator app' })).toBeDisabled();
    expect(screen.getByText(/so the last one cannot be removed/)).toBeInTheDocument();
  });

  it('lets the app go while a passkey remains, but not the last passkey', async () => {
    mockApi(({ path }) => {
      if (path === '/auth/me') return jsonResponse(makeMe(['selfservice']));
      if (path === '/me/factors') return jsonResponse({ totp: false, totp_pending: false, recovery_codes_left: 0, passkeys: 1, policy });
      if (path === '/me/factors/passkeys') return jsonResponse([passkey]);
      return undefined;
    });
    renderApp('/security');
    expect(await screen.findByRole('button', { name: 'Remove Laptop' })).toBeDisabled();
    expect(screen.getByText(/so the last one cannot be removed/)).toBeInTheDocument();
  });

  it('removes freely when no group requires a factor', async () => {
    mockApi(({ path }) => {
      if (path === '/auth/me') return jsonResponse(makeMe(['selfservice']));
      if (path === '/me/factors') return jsonResponse({ totp: true, totp_pending: false, recovery_codes_left: 10, passkeys: 0, policy: { ...policy, required: false, required_by: [] } });
      if (path === '/me/factors/passkeys') return jsonResponse([]);
      return undefined;
    });
    renderApp('/security');
    expect(await screen.findByRole('button', { name: 'Remove authenticator app' })).toBeEnabled();
    expect(screen.queryByText(/so the last one cannot be removed/)).not.toBeInTheDocument();
  });
});
