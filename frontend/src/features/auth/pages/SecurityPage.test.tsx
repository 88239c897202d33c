import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { jsonResponse, mockApi, renderApp } from '../../../test/render';
import { makeMe } from '../../../test/fixtures';
import { TID } from '../../../testids';

const codes = Array.from({ length: 10 }, (_, i) => `code${i}-abcde`);

describe('SecurityPage', () => {
  it('sets up the app with the key shown as text and shows the recovery codes once', async () => {
    document.cookie = 'custos_csrf=t';
    let on = false;
    const calls = mockApi(({ method, path }) => {
      if (path === '/auth/me') return jsonResponse(makeMe(['selfservice']));
      if (method === 'GET' && path === '/me/factors') return jsonResponse({ totp: on, totp_pending: false, recovery_codes_left: on ? 10 : 0 });
      if (method === 'POST' && path === '/me/factors/totp')
        return jsonResponse({ otpauth_url: 'otpauth://totp/Custos:anna?secret=JBSWY3DPEHPK3PXP', secret: 'JBSWY3DPEHPK3PXP', qr_png: 'data:image/png;base64,AA==', issuer: 'Custos', account: 'anna', digits: 6, period: 30 });
      if (method === 'POST' && path === '/me/factors/totp/confirm') {
        on = true;
        return jsonResponse({ recovery_codes: codes });
      }
      return undefined;
    });
    renderApp('/security');
    expect(await screen.findByTestId(TID.securityTotpStatus)).toHaveTextContent('Off');
    fireEvent.click(screen.getByRole('button', { name: 'Set up authenticator app' }));
    expect(await screen.findByTestId(TID.securityTotpSecret)).toHaveTextContent('JBSW Y3DP EHPK 3PXP');
    expect(screen.getByTestId(TID.securityTotpQr)).toHaveAttribute('src', 'data:image/png;base64,AA==');
    fireEvent.change(screen.getByLabelText('Code from the app'), { target: { value: '123 456' } });
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    const list = await screen.findByTestId(TID.securityRecoveryCodes);
    expect(within(list).getAllByRole('listitem')).toHaveLength(10);
    expect(list).toHaveTextContent('code0-abcde');
    expect(screen.getByRole('button', { name: 'Download (.txt)' })).toBeInTheDocument();
    expect(calls.find((c) => c.path === '/me/factors/totp/confirm')?.body).toEqual({ code: '123456' });
    fireEvent.click(screen.getByRole('button', { name: 'I have saved them' }));
    await waitFor(() => expect(screen.queryByTestId(TID.securityRecoveryCodes)).not.toBeInTheDocument());
    expect(await screen.findByText('Recovery codes left: 10')).toBeInTheDocument();
    expect(screen.getByTestId(TID.securityTotpStatus)).toHaveTextContent('On');
  });

  it('removes the app with the password and puts a wrong one on its field', async () => {
    document.cookie = 'custos_csrf=t';
    let tries = 0;
    const calls = mockApi(({ method, path }) => {
      if (path === '/auth/me') return jsonResponse(makeMe(['selfservice']));
      if (method === 'GET' && path === '/me/factors') return jsonResponse({ totp: tries < 2, totp_pending: false, recovery_codes_left: 7 });
      if (method === 'DELETE' && path === '/me/factors/totp') {
        tries++;
        if (tries === 1)
          return jsonResponse({ status: 400, code: 'auth.wrongCurrentPassword', errors: [{ field: 'password', code: 'wrong', message: 'wrong' }] }, 400);
        return new Response(null, { status: 204 });
      }
      return undefined;
    });
    renderApp('/security');
    fireEvent.click(await screen.findByRole('button', { name: 'Remove authenticator app' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('or your password'), { target: { value: 'bad' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove authenticator app' }));
    expect(await within(dialog).findByText('Wrong password')).toBeInTheDocument();
    fireEvent.change(within(dialog).getByLabelText('or your password'), { target: { value: 'good' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove authenticator app' }));
    expect(await screen.findByText('The authenticator app was removed.')).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.body)).toEqual([{ password: 'bad' }, { password: 'good' }]);
    await waitFor(() => expect(screen.getByTestId(TID.securityTotpStatus)).toHaveTextContent('Off'));
  });
});
