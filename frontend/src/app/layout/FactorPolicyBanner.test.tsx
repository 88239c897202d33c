import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import { currentUrl, jsonResponse, mockApi, renderApp, setupUser } from '../../test/render';
import { makeMe } from '../../test/fixtures';
import { formatDateTime } from '../../lib/format';

const deadline = '2030-05-04T10:00:00Z';
const factors = { totp: false, totp_pending: false, recovery_codes_left: 0, passkeys: 0, policy: { required: true, required_by: ['administrators'], grace_days: 7, deadline } };

describe('the second-factor policy in the shell', () => {
  it('warns of the deadline on every page, without blocking it, and leads to Security', async () => {
    const user = setupUser();
    mockApi(({ path }) => {
      if (path === '/auth/me') return jsonResponse({ ...makeMe(['audit.read']), second_factor_policy: { required: true, deadline, enrolment_required: false } });
      if (path === '/audit') return jsonResponse({ items: [], total: 0, page: 1, page_size: 20 });
      if (path === '/me/factors') return jsonResponse(factors);
      if (path === '/me/factors/passkeys') return jsonResponse([]);
      return undefined;
    });
    renderApp('/audit');
    const banner = await screen.findByRole('alert');
    expect(banner).toHaveTextContent(`Your group requires a second factor: set one up by ${formatDateTime(deadline)}.`);
    expect(currentUrl().pathname).toBe('/audit');
    await user.click(screen.getByRole('button', { name: 'Set up now' }));
    await waitFor(() => expect(currentUrl().pathname).toBe('/security'));
  });

  it('shows nothing when no group requires a factor', async () => {
    mockApi(({ path }) => {
      if (path === '/auth/me') return jsonResponse({ ...makeMe(['audit.read']), second_factor_policy: { required: false, enrolment_required: false } });
      if (path === '/audit') return jsonResponse({ items: [], total: 0, page: 1, page_size: 20 });
      return undefined;
    });
    renderApp('/audit');
    expect(await screen.findByRole('heading', { name: /Audit/ })).toBeInTheDocument();
    expect(screen.queryByText(/requires a second factor/)).not.toBeInTheDocument();
  });

  it('keeps an enrolment-only session on the Security page, without the sections', async () => {
    mockApi(({ path }) => {
      if (path === '/auth/me') return jsonResponse({ ...makeMe(['audit.read']), second_factor_policy: { required: true, deadline, enrolment_required: true } });
      if (path === '/me/factors') return jsonResponse(factors);
      if (path === '/me/factors/passkeys') return jsonResponse([]);
      return undefined;
    });
    renderApp('/audit');
    await waitFor(() => expect(currentUrl().pathname).toBe('/security'));
    expect(await screen.findByRole('alert')).toHaveTextContent('Set up a second factor to continue');
    expect(await screen.findByRole('button', { name: 'Set up authenticator app' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Audit log' })).not.toBeInTheDocument();
  });
});
