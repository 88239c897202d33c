import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { jsonResponse, mockApi, pasteInto, renderApp, setupUser } from '../../../test/render';
import { makeMe } from '../../../test/fixtures';
import { TID } from '../../../testids';
import type { Device, DeviceDetail } from '../api/operations';
import { registerCsv } from './registerCsv';

function device(over: Partial<Device> = {}): Device {
  return {
    id: 'd1', user_id: 'u1', user_login: 'ivanov', device_type_id: 'dt1', serial: '0A1B2C3D', label: 'Ivanov token', status: 'issued',
    skzi_number: 'СКЗИ-17', skzi_date: '2026-11-30', issued_at: '2026-11-30T12:00:00Z', revoked_at: null, has_admin_pin: true,
    created_at: '2026-11-30T12:00:00Z', version: 4, ...over,
  };
}

const DETAIL: DeviceDetail = {
  ...device(),
  certificates: [
    { id: 'c1', template_id: 't1', subject: 'CN=Иван Иванов', serial: '7f01', not_after: '2027-11-30T12:00:00Z', fingerprint_sha256: 'ab', pem: '', confirmed: true, revoked: false },
  ],
  history: [{ issuance_id: 'i1', from: 'writing', to: 'issued', actor_login: 'ivanov', at: '2026-11-30T12:00:00Z', comment: '' }],
};

const page = (items: unknown[]) => jsonResponse({ items, total: items.length, page: 1, page_size: 20 });

function api(perms: string[], more: Parameters<typeof mockApi>[0] = () => undefined) {
  document.cookie = 'custos_csrf=test';
  return mockApi((req) => {
    if (req.path === '/auth/me') return jsonResponse(makeMe(perms));
    if (req.path === '/device-types') return page([{ id: 'dt1', name: 'Rutoken ECP', pin_areas: [] }]);
    if (req.path === '/certificate-templates') return page([{ id: 't1', name: 'Employee GOST' }]);
    const r = more(req);
    if (r) return r;
    if (req.method === 'GET' && req.path === '/devices/d1') return jsonResponse(DETAIL);
    return undefined;
  });
}

describe('Devices', () => {
  it('lists the devices with type, serial, status and the SKZI document', async () => {
    const calls = api(['devices.read'], (req) => (req.path === '/devices' ? page([device(), device({ id: 'd2', serial: 'FF00', status: 'revoked', skzi_number: '', skzi_date: '', revoked_at: '2026-12-01T09:00:00Z' })]) : undefined));
    renderApp('/devices?status=issued');
    const row = (await screen.findByText('0A1B2C3D')).closest('tr') as HTMLElement;
    expect(row).toHaveTextContent('ivanov');
    expect(row).toHaveTextContent('Rutoken ECP');
    expect(row).toHaveTextContent('СКЗИ-17');
    expect(within(row).getByText('Issued', { selector: '.ant-tag' })).toBeInTheDocument();
    expect(calls.find((c) => c.path === '/devices')?.url.searchParams.get('status')).toBe('issued');
  });

  it('shows the certificates and history; Revoke warns that the certificates are revoked at once and sends the version', async () => {
    const calls = api(['devices.read', 'devices.write'], (req) => (req.method === 'POST' && req.path === '/devices/d1/revoke' ? jsonResponse({ ...DETAIL, status: 'revoked' }) : undefined));
    const user = setupUser();
    renderApp('/devices/d1');
    expect(await screen.findByRole('heading', { name: 'Device 0A1B2C3D' })).toBeInTheDocument();
    const certs = screen.getByTestId(TID.deviceCertificates);
    expect(certs).toHaveTextContent('Employee GOST');
    expect(certs).toHaveTextContent('CN=Иван Иванов');
    expect(certs).toHaveTextContent('On the device');
    expect(screen.getByTestId(TID.deviceHistory)).toHaveTextContent('ivanov');
    expect(screen.queryByTestId(TID.deviceUnblock)).not.toBeInTheDocument();
    await user.click(screen.getByTestId(TID.deviceRevoke));
    const dialog = await screen.findByTestId(TID.deviceActConfirm);
    expect(dialog).toHaveTextContent('Every certificate on the device is revoked at once');
    await pasteInto(user, within(dialog).getByLabelText('Comment'), 'Lost');
    await user.click(within(dialog).getByRole('button', { name: 'Revoke' }));
    await waitFor(() => expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ version: 4, comment: 'Lost' }));
    expect(await screen.findByText('Device revoked')).toBeInTheDocument();
  });

  it('offers Unblock, not Block, for a blocked device', async () => {
    api(['devices.read', 'devices.write'], (req) => (req.path === '/devices/d1' ? jsonResponse({ ...DETAIL, status: 'blocked' }) : undefined));
    renderApp('/devices/d1');
    expect(await screen.findByTestId(TID.deviceUnblock)).toBeInTheDocument();
    expect(screen.queryByTestId(TID.deviceBlock)).not.toBeInTheDocument();
  });

  it('the SKZI register shows only devices with a document and exports them as CSV', async () => {
    api(['devices.read'], (req) => (req.path === '/devices' ? page([device(), device({ id: 'd2', serial: 'FF00', skzi_number: '', skzi_date: '' })]) : undefined));
    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blobs.push(b as Blob);
      return 'blob:test';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const user = setupUser();
    renderApp('/skzi-register');
    const table = await screen.findByTestId(TID.skziRegister);
    expect(await within(table).findByText('СКЗИ-17')).toBeInTheDocument();
    expect(within(table).queryByText(/FF00/)).not.toBeInTheDocument();
    await user.click(screen.getByTestId(TID.skziExport));
    expect(click).toHaveBeenCalled();
    expect(blobs).toHaveLength(1);
  });

  it('the register CSV has a header and one quoted line per device', () => {
    const csv = registerCsv([device({ label: 'Ivanov, token' })], () => 'Rutoken ECP', ['Device type', 'Serial number', 'Name', 'User', 'Number', 'Date', 'Issued', 'Revoked']);
    expect(csv.split('\r\n')).toEqual([
      'Device type,Serial number,Name,User,Number,Date,Issued,Revoked',
      'Rutoken ECP,0A1B2C3D,"Ivanov, token",ivanov,СКЗИ-17,2026-11-30,2026-11-30T12:00:00Z,',
      '',
    ]);
  });
});
