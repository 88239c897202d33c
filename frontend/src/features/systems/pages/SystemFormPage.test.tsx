import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import dayjs from 'dayjs';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { jsonResponse, mockApi, pasteInto, renderApp, setupUser } from '../../../test/render';
import { makeMe } from '../../../test/fixtures';
import { TID } from '../../../testids';
import type { Certificate, System } from '../api/types';
import { daysLeft, expiresSoon } from '../../../components/pki/CertificateStatusTag';
import { jsdomCrypto } from '../../../lib/jsdomCrypto';

const SYSTEM = {
  id: 's1', name: 'Billing', description: 'Invoices', enabled: true, owner_group_id: null, allowed_services: ['users.read'],
  settings_texts: { ru: 'Проверка', en: 'Checking' }, certificate_count: 0, version: 3, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z',
  client_editable: [], client_may_issue: false,
} as System;

function cert(over: Partial<Certificate> = {}): Certificate {
  return {
    id: 'c1', system_id: 's1', origin: 'csr', subject: 'CN=Billing,OU=system,O=Custos', issuer: 'CN=Custos CA', serial: '0a1b2c',
    fingerprint_sha256: 'ab'.repeat(32), key_algorithm: 'ECDSA P-256', not_before: dayjs().subtract(1, 'day').toISOString(),
    not_after: dayjs().add(300, 'day').toISOString(), status: 'active', enabled: true, expiring_soon: false, revoked_at: null,
    revocation_reason: null, pem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', version: 1, created_at: '2026-01-02T00:00:00Z',
    ...over,
  };
}

const CATALOGUE = ['users.read', 'certificates.read', 'certificates.write'].map((code) => ({ code, resource: code.split('.')[0], action: code.split('.')[1] }));

/** api answers the system page's reads; `more` handles the rest. */
function api(certs: Certificate[], more: (req: { method: string; path: string; url: URL; body: unknown }) => Response | undefined = () => undefined) {
  document.cookie = 'custos_csrf=test';
  return mockApi((req) => {
    const { method, path } = req;
    if (path === '/auth/me') return jsonResponse(makeMe(['certificates.read', 'certificates.write', 'users.read', 'audit.read']));
    if (path === '/permissions') return jsonResponse(CATALOGUE);
    if (path === '/groups') return jsonResponse({ items: [], total: 0, page: 1, page_size: 200 });
    if (method === 'GET' && path === '/systems/s1') return jsonResponse(SYSTEM);
    if (method === 'GET' && path === '/systems/s1/certificates') return jsonResponse({ items: certs, total: certs.length, page: 1, page_size: 20 });
    return more(req);
  });
}

/** readBlob reads a Blob as text (jsdom's Blob has no text()). */
function readBlob(b: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error);
    r.readAsText(b);
  });
}

async function openCertificates(user: ReturnType<typeof setupUser>) {
  renderApp('/systems/s1');
  await user.click(await screen.findByRole('tab', { name: 'Certificates' }));
  return screen.findByTestId(TID.systemCertificates);
}

describe('SystemFormPage, client cabinet settings', () => {
  it('sends what the owner group may edit in the cabinet and whether it may issue certificates', async () => {
    const calls = api([], ({ method, path }) => (method === 'PATCH' && path === '/systems/s1' ? jsonResponse({ ...SYSTEM, version: 4 }) : undefined));
    const user = setupUser();
    renderApp('/systems/s1');
    const editable = await screen.findByTestId(TID.systemClientEditable);
    expect(within(editable).getByRole('checkbox', { name: 'Description' })).not.toBeChecked();
    await user.click(within(editable).getByRole('checkbox', { name: 'Settings texts' }));
    await user.click(screen.getByRole('switch', { name: 'Clients may issue certificates' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(calls.find((c) => c.method === 'PATCH')?.body).toMatchObject({ version: 3, client_editable: ['settings_texts'], client_may_issue: true }),
    );
  });
});

describe('SystemFormPage, certificates', () => {
  it('generates the key pair in the page: only a valid CSR is sent; the certificate is shown and privateKey.pem offered with the warning', async () => {
    const crypto = jsdomCrypto();
    vi.stubGlobal('crypto', crypto);
    x509.cryptoProvider.set(crypto);
    const blobs = new Map<string, Blob>();
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      const url = `blob:test/${blobs.size}`;
      blobs.set(url, b as Blob);
      return url;
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const issued = cert({ pem: '-----BEGIN CERTIFICATE-----\nISSUED\n-----END CERTIFICATE-----\n' });
    const calls = api([], ({ method, path }) => (method === 'POST' && path === '/systems/s1/certificates' ? jsonResponse(issued, 201) : undefined));
    const user = setupUser();
    const tab = await openCertificates(user);

    await user.click(within(tab).getByRole('button', { name: /Generate key pair and certificate/ }));
    const dialog = await screen.findByTestId(TID.certGenerateDialog);
    expect(within(dialog).getByRole('radio', { name: /ECDSA P-256/ })).toBeChecked();
    await user.click(within(dialog).getByRole('button', { name: 'Generate' }));

    expect(await within(dialog).findByTestId(TID.certPem)).toHaveValue(issued.pem);
    expect(within(dialog).getByTestId(TID.certKeyWarning)).toHaveTextContent('lost when you close this window or reload the page');
    const post = calls.find((c) => c.method === 'POST');
    const body = post?.body as { method: string; csr: string; validity_days: number };
    expect(Object.keys(body).sort()).toEqual(['csr', 'method', 'validity_days']);
    expect(body).toMatchObject({ method: 'csr', validity_days: 365 });
    expect(JSON.stringify(body)).not.toContain('PRIVATE KEY');
    const csr = new x509.Pkcs10CertificateRequest(body.csr);
    expect(await csr.verify()).toBe(true);
    expect(csr.subject).toBe('CN=Billing');

    // The link downloads the private key that pairs with the request's public key.
    const link = within(dialog).getByRole('link', { name: /privateKey\.pem/ });
    expect(link).toHaveAttribute('download', 'privateKey.pem');
    const pem = await readBlob(blobs.get(link.getAttribute('href') ?? '') as Blob);
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const key = await crypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(pem), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
    const data = new TextEncoder().encode('proof');
    const sig = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, data);
    const pub = await csr.publicKey.export(crypto);
    expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, pub, sig, data)).toBe(true);

    // Closing the dialog forgets the key: the link and its object URL go.
    await user.click(within(dialog).getByRole('button', { name: 'I have saved the key' }));
    await waitFor(() => expect(screen.queryByTestId(TID.certKeyDownload)).not.toBeInTheDocument());
    expect(URL.revokeObjectURL).toHaveBeenCalledWith(link.getAttribute('href'));
  });

  it('adds a certificate manually; the server\'s field error lands on the PEM field and nothing else is said', async () => {
    const calls = api([], ({ method, path }) =>
      method === 'POST' && path === '/systems/s1/certificates'
        ? jsonResponse({ status: 400, code: 'validation.failed', title: 'Invalid input', errors: [{ field: 'pem', code: 'privateKey', message: 'holds a private key; never send a private key' }] }, 400)
        : undefined,
    );
    const user = setupUser();
    const tab = await openCertificates(user);
    await user.click(within(tab).getByRole('button', { name: /Add certificate manually/ }));
    const dialog = await screen.findByTestId(TID.certManualDialog);
    await pasteInto(user, within(dialog).getByLabelText('Certificate (PEM)'), '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----');
    await user.click(within(dialog).getByRole('button', { name: 'Add' }));
    const field = within(dialog).getByLabelText('Certificate (PEM)');
    await waitFor(() => expect(field).toHaveAttribute('aria-invalid', 'true'));
    expect(within(dialog).getByText('Holds a private key: never paste a private key here')).toBeInTheDocument();
    expect(within(dialog).queryByRole('alert', { name: /Invalid input/ })).not.toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'POST')[0]?.body).toEqual({ method: 'manual', pem: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----' });
  });

  it('shows status tags and the expiring-soon badge; the switch sends the version; revoke asks for a reason', async () => {
    const certs = [
      cert({ id: 'c1', subject: 'CN=soon', expiring_soon: true, not_after: dayjs().add(10, 'day').add(1, 'hour').toISOString() }),
      cert({ id: 'c2', subject: 'CN=off', status: 'disabled', enabled: false, version: 4 }),
      cert({ id: 'c3', subject: 'CN=gone', status: 'revoked', revoked_at: '2026-01-03T00:00:00Z', revocation_reason: 'keyCompromise' }),
      cert({ id: 'c4', subject: 'CN=old', status: 'expired', not_after: dayjs().subtract(1, 'day').toISOString() }),
    ];
    const calls = api(certs, ({ method, path }) => {
      if (method === 'PATCH' && path === '/systems/s1/certificates/c2') return jsonResponse({ ...certs[1], enabled: true, status: 'active', version: 5 });
      if (method === 'POST' && path === '/systems/s1/certificates/c1/revoke') return jsonResponse({ ...certs[0], status: 'revoked' });
      return undefined;
    });
    const user = setupUser();
    const tab = await openCertificates(user);
    const row = (s: string) => within(tab).getByText(s).closest('tr') as HTMLElement;
    await within(tab).findByText('CN=soon');
    expect(within(row('CN=soon')).getByTestId(TID.certStatus)).toHaveTextContent('Active');
    expect(within(row('CN=soon')).getByTestId(TID.certExpiringSoon)).toHaveTextContent('Expires in 10 d');
    expect(within(row('CN=off')).getByTestId(TID.certStatus)).toHaveTextContent('Disabled');
    expect(within(row('CN=gone')).getByTestId(TID.certStatus)).toHaveTextContent('Revoked');
    expect(within(row('CN=gone')).queryByTestId(TID.certRevoke)).not.toBeInTheDocument();
    expect(within(row('CN=old')).getByTestId(TID.certStatus)).toHaveTextContent('Expired');
    expect(within(row('CN=old')).queryByTestId(TID.certExpiringSoon)).not.toBeInTheDocument();
    expect(within(row('CN=soon')).getByTestId(TID.certFingerprint)).toHaveTextContent('abababab…abababab');

    await user.click(within(row('CN=off')).getByRole('switch', { name: 'Enabled: CN=off' }));
    await waitFor(() => expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ enabled: true, version: 4 }));

    await user.click(within(row('CN=soon')).getByTestId(TID.certRevoke));
    const dialog = await screen.findByTestId(TID.certRevokeDialog);
    await user.click(within(dialog).getByRole('combobox', { name: 'Reason' }));
    await user.click(await screen.findByText('Key compromise', { selector: '.ant-select-item-option-content' }));
    await user.click(within(dialog).getByRole('button', { name: 'Revoke' }));
    await waitFor(() => expect(calls.find((c) => c.path === '/systems/s1/certificates/c1/revoke')?.body).toEqual({ reason: 'keyCompromise' }));
  });

  it('the settings change log reads the audit events of this system', async () => {
    const calls = api([], ({ path }) => (path === '/audit' ? jsonResponse({ items: [], total: 0, page: 1, page_size: 10 }) : undefined));
    const user = setupUser();
    renderApp('/systems/s1');
    await user.click(await screen.findByRole('tab', { name: 'Settings change log' }));
    await screen.findByTestId(TID.historyTable);
    const q = calls.find((c) => c.path === '/audit')?.url.searchParams;
    expect(q?.get('resource_type')).toBe('system');
    expect(q?.get('resource_id')).toBe('s1');
  });
});

describe('SystemFormPage, read-only', () => {
  it('a reader sees the certificates and can filter them, but gets no way in, switch or revoke', async () => {
    document.cookie = 'custos_csrf=test';
    mockApi(({ method, path }) => {
      if (path === '/auth/me') return jsonResponse(makeMe(['certificates.read']));
      if (path === '/permissions') return jsonResponse(CATALOGUE);
      if (path === '/groups') return jsonResponse({ items: [], total: 0, page: 1, page_size: 200 });
      if (method === 'GET' && path === '/systems/s1') return jsonResponse(SYSTEM);
      if (method === 'GET' && path === '/systems/s1/certificates') return jsonResponse({ items: [cert()], total: 1, page: 1, page_size: 20 });
      return undefined;
    });
    const user = setupUser();
    const tab = await openCertificates(user);
    expect(await within(tab).findByTestId(TID.certStatus)).toHaveTextContent('Active');
    expect(within(tab).queryByTestId(TID.certGenerate)).not.toBeInTheDocument();
    expect(within(tab).queryByTestId(TID.certManual)).not.toBeInTheDocument();
    expect(within(tab).queryByTestId(TID.certRevoke)).not.toBeInTheDocument();
    expect(within(tab).getByRole('switch')).toBeDisabled();
    expect(within(tab).getByRole('combobox', { name: 'Status' })).toBeEnabled();
    expect(screen.queryByRole('tab', { name: 'Settings change log' })).not.toBeInTheDocument();
  });
});

describe('expiry', () => {
  it('counts an active certificate within 30 days as expiring soon, not a revoked or later one', () => {
    const now = dayjs('2026-06-01T00:00:00Z');
    const at = (d: number) => now.add(d, 'day').toISOString();
    expect(expiresSoon({ status: 'active', expiring_soon: false, not_after: at(30) }, now)).toBe(true);
    expect(expiresSoon({ status: 'active', expiring_soon: false, not_after: at(31) }, now)).toBe(false);
    expect(expiresSoon({ status: 'revoked', expiring_soon: false, not_after: at(5) }, now)).toBe(false);
    expect(daysLeft({ not_after: at(12) }, now)).toBe(12);
  });
});
