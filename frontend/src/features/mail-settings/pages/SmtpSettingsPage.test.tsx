import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { jsonResponse, mockApi, pasteInto, renderApp, setupUser } from '../../../test/render';
import { makeMe } from '../../../test/fixtures';
import { TID } from '../../../testids';
import type { SmtpSettings } from '../api/smtp';

const SETTINGS: SmtpSettings = {
  host: 'smtp.example.com', port: 587, from: 'custos@example.com', tls_mode: 'starttls', tls_ca_pem: '', username: 'custos', has_password: true,
  configured: true,
  version: 5, updated_at: '2026-01-01T00:00:00Z',
};

function api(more: Parameters<typeof mockApi>[0] = () => undefined) {
  document.cookie = 'custos_csrf=t';
  return mockApi((req) => {
    if (req.path === '/auth/me') return jsonResponse(makeMe(['settings.write']));
    if (req.method === 'GET' && req.path === '/settings/smtp') return jsonResponse(SETTINGS);
    return more(req);
  });
}

describe('SMTP settings', () => {
  it('shows the stored password as set without its value; Save without touching it keeps it (no password sent)', async () => {
    const calls = api((req) => (req.method === 'PUT' ? jsonResponse({ ...SETTINGS, port: 2525, version: 6 }) : undefined));
    const user = setupUser();
    renderApp('/mail-settings');
    const port = await screen.findByLabelText('Port');
    await waitFor(() => expect(screen.getByLabelText('Host')).toHaveValue('smtp.example.com'));
    expect(screen.getByTestId(`${TID.smtpPassword}-state`)).toHaveTextContent(/^set$/);
    expect(screen.getByTestId(TID.smtpPassword)).toHaveValue('');
    expect(screen.getByRole('radio', { name: 'STARTTLS' })).toBeChecked();
    await user.clear(port);
    await pasteInto(user, port, '2525');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({ version: 5, host: 'smtp.example.com', port: 2525, from: 'custos@example.com', tls_mode: 'starttls', tls_ca_pem: '', username: 'custos' });
  });

  it('Remove sends an empty password; a field error from the server shows on its field', async () => {
    const calls = api((req) =>
      req.method === 'PUT'
        ? jsonResponse({ status: 400, code: 'validation.failed', title: 'Invalid', errors: [{ field: 'from', code: 'email', message: 'must be an e-mail address' }] }, 400)
        : undefined,
    );
    const user = setupUser();
    renderApp('/mail-settings');
    const form = await screen.findByTestId(TID.smtpForm);
    await user.click(await within(form).findByRole('button', { name: 'Remove' }));
    expect(within(form).getByText('Will be removed on save')).toBeInTheDocument();
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(await within(form).findByText('must be an e-mail address')).toBeInTheDocument();
    expect((calls.find((c) => c.method === 'PUT')?.body as { password?: string }).password).toBe('');
  });

  it('sends a test mail and shows the server’s refusal with its answer', async () => {
    const detail = 'The SMTP server did not take the mail: tls: failed to verify certificate: x509: certificate signed by unknown authority';
    const calls = api((req) =>
      req.path === '/settings/smtp/test' ? jsonResponse({ status: 503, code: 'notify.sendFailed', title: 'Send failed', detail }, 503) : undefined,
    );
    const user = setupUser();
    renderApp('/mail-settings');
    await pasteInto(user, await screen.findByLabelText('Recipient address'), 'ops@example.com');
    await user.click(screen.getByTestId(TID.smtpTest));
    expect(await screen.findByText('The mail server refused the mail.')).toBeInTheDocument();
    expect(screen.getByText(detail)).toBeInTheDocument();
    expect(calls.find((c) => c.path === '/settings/smtp/test')?.body).toEqual({ to: 'ops@example.com' });
  });

  it('sends the pasted CA certificate; the server’s refusal shows on that field', async () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    const calls = api((req) =>
      req.method === 'PUT'
        ? jsonResponse({ status: 400, code: 'validation.failed', title: 'Invalid', errors: [{ field: 'tls_ca_pem', code: 'badPem', message: 'a certificate does not parse' }] }, 400)
        : undefined,
    );
    const user = setupUser();
    renderApp('/mail-settings');
    const ca = await screen.findByLabelText('CA certificate (PEM)');
    await waitFor(() => expect(screen.getByLabelText('Host')).toHaveValue('smtp.example.com'));
    await pasteInto(user, ca, `  ${pem}\n`);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('a certificate does not parse')).toBeInTheDocument();
    expect((calls.find((c) => c.method === 'PUT')?.body as { tls_ca_pem?: string }).tls_ca_pem).toBe(pem);
  });
});
