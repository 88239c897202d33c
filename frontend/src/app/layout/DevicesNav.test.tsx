import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { jsonResponse, mockApi, renderApp } from '../../test/render';
import { makeMe } from '../../test/fixtures';
import { TID } from '../../testids';

function api(perms: string[]) {
  document.cookie = 'custos_csrf=t';
  mockApi(({ path }) => {
    if (path === '/auth/me') return jsonResponse(makeMe(perms));
    if (path === '/settings/smtp') return jsonResponse({ host: '', port: 587, from: '', tls_mode: 'starttls', username: '', has_password: false, configured: false, version: 1, updated_at: '2026-01-01T00:00:00Z' });
    if (path === '/device-types') return jsonResponse({ items: [], total: 0, page: 1, page_size: 20 });
    return undefined;
  });
}

describe('the Devices group of the sidebar', () => {
  it('gathers the device pages under Devices for those who read devices', async () => {
    api(['devices.read']);
    renderApp('/device-types');
    const nav = await screen.findByTestId(TID.sideNav);
    expect(await within(nav).findByText('Devices', { selector: '.ant-menu-item-group-title' })).toBeInTheDocument();
    for (const label of ['Types', 'Templates', 'Policies', 'Issuances', 'SKZI register']) {
      expect(within(nav).getByRole('link', { name: label })).toBeInTheDocument();
    }
    expect(within(nav).getByRole('link', { name: 'Devices' })).toHaveAttribute('href', '/devices');
    expect(within(nav).queryByRole('link', { name: 'Mail (SMTP)' })).not.toBeInTheDocument();
  });

  it('shows no Devices group without devices.read; Mail (SMTP) with settings.write', async () => {
    api(['settings.write']);
    renderApp('/mail-settings');
    const nav = await screen.findByTestId(TID.sideNav);
    expect(await within(nav).findByRole('link', { name: 'Mail (SMTP)' })).toBeInTheDocument();
    expect(within(nav).queryByText('Devices')).not.toBeInTheDocument();
  });
});
