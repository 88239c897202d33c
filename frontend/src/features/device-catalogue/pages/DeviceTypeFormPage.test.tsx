import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { jsonResponse, mockApi, pasteInto, renderApp, setupUser } from '../../../test/render';
import { makeMe } from '../../../test/fixtures';
import { TID } from '../../../testids';
import type { DeviceType } from '../api/catalogue';

const TYPE: DeviceType = {
  id: 'dt1',
  name: 'Rutoken ECP',
  vendor: 'Aktiv',
  model: 'ECP 3.0',
  description: '',
  pin_areas: [
    { code: 'pki', name: 'PKI', has_default_admin_pin: true, has_default_user_pin: false },
    { code: 'gost', name: 'GOST', has_default_admin_pin: true, has_default_user_pin: true },
  ],
  pin_rules: { min_length: 6, max_length: 32, charset: 'digits' },
  retry_counts: { admin: 10, user: 5 },
  version: 2,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};

function api(perms: string[], more: Parameters<typeof mockApi>[0] = () => undefined) {
  document.cookie = 'custos_csrf=test';
  return mockApi((req) => {
    if (req.path === '/auth/me') return jsonResponse(makeMe(perms));
    if (req.method === 'GET' && req.path === '/device-types/dt1') return jsonResponse(TYPE);
    if (req.method === 'GET' && req.path === '/device-types') return jsonResponse({ items: [TYPE], total: 1, page: 1, page_size: 20 });
    return more(req);
  });
}

describe('Device types', () => {
  it('lists the types with their PIN areas; Add is offered only to those who may write', async () => {
    api(['devices.read']);
    renderApp('/device-types');
    expect(await screen.findByRole('heading', { name: 'Device types' })).toBeInTheDocument();
    const row = (await screen.findByText('Rutoken ECP')).closest('tr') as HTMLElement;
    expect(within(row).getByText('GOST')).toBeInTheDocument();
    expect(screen.queryByTestId(TID.tableAdd)).not.toBeInTheDocument();
  });

  it('shows stored default PINs as set, never their value; empty keeps, Remove sends "", a typed PIN replaces', async () => {
    const calls = api(['devices.read', 'devices.write'], (req) => (req.method === 'PATCH' ? jsonResponse({ ...TYPE, version: 3 }) : undefined));
    const user = setupUser();
    renderApp('/device-types/dt1');
    const areas = await screen.findByTestId(TID.deviceTypePinAreas);
    await waitFor(() => expect(within(areas).getAllByDisplayValue('pki')).toHaveLength(1));
    const pki = within(areas).getByText('PIN area 1').closest('.ant-card') as HTMLElement;
    const gost = within(areas).getByText('PIN area 2').closest('.ant-card') as HTMLElement;
    expect(within(pki).getByText('set')).toBeInTheDocument();
    expect(within(pki).getByText('not set')).toBeInTheDocument();
    // The PKI area's admin PIN is removed; the GOST user PIN replaced; the rest left empty.
    await user.click(within(pki).getByRole('button', { name: 'Remove' }));
    expect(within(pki).getByText('Will be removed on save')).toBeInTheDocument();
    await pasteInto(user, within(gost).getByLabelText('Default user PIN'), '246810');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true));
    const body = calls.find((c) => c.method === 'PATCH')?.body as { version: number; pin_areas: Record<string, unknown>[]; pin_rules: unknown; retry_counts: unknown };
    expect(body.version).toBe(2);
    expect(body.pin_areas).toEqual([
      { code: 'pki', name: 'PKI', default_admin_pin: '' },
      { code: 'gost', name: 'GOST', default_user_pin: '246810' },
    ]);
    expect(body.pin_rules).toEqual({ min_length: 6, max_length: 32, charset: 'digits' });
    expect(body.retry_counts).toEqual({ admin: 10, user: 5 });
  });

  it('adds a PIN area and shows the server’s field error on its field', async () => {
    const calls = api(['devices.read', 'devices.write'], (req) =>
      req.method === 'POST' && req.path === '/device-types'
        ? jsonResponse(
            { type: 'about:blank', title: 'Invalid', status: 400, code: 'validation.failed', errors: [{ field: 'pin_areas.1.default_user_pin', code: 'pinRules', message: 'must be 6..32 digits' }] },
            400,
          )
        : undefined,
    );
    const user = setupUser();
    renderApp('/device-types/new');
    await pasteInto(user, (await screen.findAllByLabelText('Name'))[0] as HTMLElement, 'JaCarta');
    await user.click(screen.getByRole('button', { name: /Add PIN area/ }));
    const areas = screen.getByTestId(TID.deviceTypePinAreas);
    const second = within(areas).getByText('PIN area 2').closest('.ant-card') as HTMLElement;
    await pasteInto(user, within(second).getByLabelText('Code'), 'gost');
    await pasteInto(user, within(second).getByLabelText('Name'), 'GOST');
    await pasteInto(user, within(second).getByLabelText('Default user PIN'), '12');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await within(second).findByText('must be 6..32 digits')).toBeInTheDocument();
    const body = calls.find((c) => c.method === 'POST')?.body as { pin_areas: unknown[] };
    expect(body.pin_areas).toEqual([
      { code: 'pki', name: 'PKI' },
      { code: 'gost', name: 'GOST', default_user_pin: '12' },
    ]);
  });
});
