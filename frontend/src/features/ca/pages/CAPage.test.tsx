import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { jsonResponse, mockApi, pasteInto, renderApp, setupUser } from '../../../test/render';
import { makeMe } from '../../../test/fixtures';
import { TID } from '../../../testids';
import type { CAInfo } from '../api/ca';

const CA: CAInfo = {
  subject: 'CN=Custos CA,O=Custos', serial: '01', fingerprint_sha256: 'cd'.repeat(32), key_algorithm: 'ECDSA P-256',
  not_before: '2026-01-01T00:00:00Z', not_after: '2036-01-01T00:00:00Z', imported: false,
  ca_crt_url: 'http://127.0.0.1:8080/pki/ca.crt', crl_url: 'http://127.0.0.1:8080/pki/crl', ocsp_url: 'http://127.0.0.1:8080/pki/ocsp',
};

function api(perms: string[]) {
  document.cookie = 'custos_csrf=test';
  return mockApi(({ method, path }) => {
    if (path === '/auth/me') return jsonResponse(makeMe(perms));
    if (method === 'GET' && path === '/ca') return jsonResponse(CA);
    if (method === 'POST' && path === '/ca/import')
      return jsonResponse({ status: 400, code: 'validation.failed', errors: [{ field: 'private_key', code: 'mismatch', message: 'does not belong' }] }, 400);
    return undefined;
  });
}

describe('CAPage', () => {
  it('shows the CA, its download and addresses, and the how-to; a reader gets no import', async () => {
    api(['certificates.read']);
    renderApp('/ca');
    expect(await screen.findByTestId(TID.caFingerprint)).toHaveTextContent('cd'.repeat(32));
    expect(screen.getByTestId(TID.caCrlUrl)).toHaveTextContent(CA.crl_url);
    expect(screen.getByTestId(TID.caOcspUrl)).toHaveTextContent(CA.ocsp_url);
    expect(screen.getByTestId(TID.caDownload)).toHaveAttribute('href', CA.ca_crt_url);
    expect(screen.getByTestId(TID.caHowTo)).toHaveTextContent('Leave the Password field empty');
    expect(screen.queryByTestId(TID.caImport)).not.toBeInTheDocument();
  });

  it('imports for settings.write; a key that does not match is said on the key field', async () => {
    const calls = api(['certificates.read', 'settings.write']);
    const user = setupUser();
    renderApp('/ca');
    await user.click(await screen.findByTestId(TID.caImport));
    const dialog = await screen.findByTestId(TID.caImportDialog);
    await pasteInto(user, within(dialog).getByLabelText('CA certificate (PEM)'), '-----BEGIN CERTIFICATE-----\nAA\n-----END CERTIFICATE-----');
    await pasteInto(user, within(dialog).getByLabelText('CA private key (PEM)'), '-----BEGIN PRIVATE KEY-----\nBB\n-----END PRIVATE KEY-----');
    await user.click(within(dialog).getByRole('button', { name: 'Import' }));
    await waitFor(() => expect(within(dialog).getByLabelText('CA private key (PEM)')).toHaveAttribute('aria-invalid', 'true'));
    expect(within(dialog).getByText('Does not belong to the certificate')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'POST')?.body).toMatchObject({ private_key: expect.stringContaining('PRIVATE KEY') });
  });
});
