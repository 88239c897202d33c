import { describe, expect, it, vi } from 'vitest';
import { useState } from 'react';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { useTranslation } from 'react-i18next';
import { jsonResponse, mockApi, renderAt } from '../test/render';
import { http, isApiError } from '../api/http';
import { errorMessage } from '../lib/errors';
import { StepUpHost } from './StepUpHost';

const webauthn = vi.hoisted(() => ({ startAuthentication: vi.fn() }));
vi.mock('@simplewebauthn/browser', () => webauthn);

const stale = () =>
  jsonResponse({ status: 401, code: 'auth.stepUpRequired', detail: 'step up', methods: ['totp', 'recovery_code', 'webauthn'] }, 401);

/** Saver is an operation that matters: it reports what became of its request. */
function Saver() {
  const { t } = useTranslation();
  const [outcome, setOutcome] = useState('');
  const save = () =>
    http
      .patch<{ name: string }>('/groups/g1', { version: 1, permissions: ['users.write'] })
      .then((g) => setOutcome(`saved ${g.name}`))
      .catch((e: unknown) => setOutcome(`${isApiError(e) ? e.code : 'error'}: ${errorMessage(t, e)}`));
  return (
    <>
      <button onClick={save}>Save group</button>
      <output data-testid="outcome">{outcome}</output>
    </>
  );
}

function renderSaver() {
  return renderAt(
    <>
      <StepUpHost />
      <Saver />
    </>,
  );
}

describe('step-up in place', () => {
  it('asks for the code when an operation needs a fresh factor, then repeats it transparently', async () => {
    document.cookie = 'custos_csrf=t';
    let patched = 0;
    const calls = mockApi(({ method, path, body }) => {
      if (method === 'PATCH' && path === '/groups/g1') return ++patched === 1 ? stale() : jsonResponse({ name: 'Auditors' });
      if (method === 'POST' && path === '/auth/step-up') {
        return (body as { code?: string }).code === '123456'
          ? jsonResponse({ method: 'totp', factor_at: '2026-12-03T08:00:00Z', valid_until: '2026-12-03T08:10:00Z' })
          : jsonResponse({ status: 401, code: 'mfa.invalidCode', errors: [{ field: 'code', code: 'mfa.invalidCode', message: 'wrong' }] }, 401);
      }
      return undefined;
    });
    renderSaver();
    fireEvent.click(screen.getByText('Save group'));

    const dialog = await screen.findByRole('dialog', { name: 'Confirm it is you' });
    expect(dialog).toHaveTextContent('Use a passkey');
    fireEvent.change(screen.getByLabelText('Code from the authenticator app'), { target: { value: '000 000' } });
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The code is wrong or has expired.');
    expect(screen.getByTestId('outcome')).toHaveTextContent('');

    fireEvent.change(screen.getByLabelText('Code from the authenticator app'), { target: { value: '123 456' } });
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    await waitFor(() => expect(screen.getByTestId('outcome')).toHaveTextContent('saved Auditors'));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'PATCH /groups/g1',
      'POST /auth/step-up',
      'POST /auth/step-up',
      'PATCH /groups/g1',
    ]);
    expect(calls[2]?.body).toEqual({ code: '123456' });
    expect(calls[3]?.body).toEqual({ version: 1, permissions: ['users.write'] });
  });

  it('a recovery code works too', async () => {
    document.cookie = 'custos_csrf=t';
    let patched = 0;
    const calls = mockApi(({ method, path }) => {
      if (method === 'PATCH') return ++patched === 1 ? stale() : jsonResponse({ name: 'Auditors' });
      if (path === '/auth/step-up') return jsonResponse({ method: 'recovery_code' });
      return undefined;
    });
    renderSaver();
    fireEvent.click(screen.getByText('Save group'));
    fireEvent.click(await screen.findByRole('button', { name: 'Use a recovery code' }));
    fireEvent.change(screen.getByLabelText('Recovery code'), { target: { value: ' abcde-fghij ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    await waitFor(() => expect(screen.getByTestId('outcome')).toHaveTextContent('saved Auditors'));
    expect(calls.find((c) => c.path === '/auth/step-up')?.body).toEqual({ recovery_code: 'abcde-fghij' });
  });

  it('cancelling leaves the operation undone with a clear error', async () => {
    document.cookie = 'custos_csrf=t';
    const calls = mockApi(({ method }) => (method === 'PATCH' ? stale() : undefined));
    renderSaver();
    fireEvent.click(screen.getByText('Save group'));
    await screen.findByRole('dialog', { name: 'Confirm it is you' });
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() =>
      expect(screen.getByTestId('outcome')).toHaveTextContent(
        'auth.stepUpRequired: Not done: this action needs your second factor, and it was not confirmed.',
      ),
    );
    expect(calls).toHaveLength(1);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('with only a passkey, asks for it and repeats the operation', async () => {
    document.cookie = 'custos_csrf=t';
    webauthn.startAuthentication.mockResolvedValue({ id: 'cred' });
    let patched = 0;
    const calls = mockApi(({ method, path }) => {
      if (method === 'PATCH') {
        return ++patched === 1
          ? jsonResponse({ status: 401, code: 'auth.stepUpRequired', methods: ['webauthn'] }, 401)
          : jsonResponse({ name: 'Auditors' });
      }
      if (path === '/auth/step-up/passkey/begin') return jsonResponse({ ceremony: 'c1', options: { challenge: 'x' } });
      if (path === '/auth/step-up/passkey/finish') return jsonResponse({ method: 'webauthn' });
      return undefined;
    });
    renderSaver();
    fireEvent.click(screen.getByText('Save group'));
    const dialog = await screen.findByRole('dialog', { name: 'Confirm it is you' });
    expect(dialog).toHaveTextContent('confirm it with one of your passkeys');
    expect(screen.queryByLabelText('Code from the authenticator app')).not.toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Use a passkey' }));
    await waitFor(() => expect(screen.getByTestId('outcome')).toHaveTextContent('saved Auditors'));
    expect(webauthn.startAuthentication).toHaveBeenCalledWith({ optionsJSON: { challenge: 'x' } });
    expect(calls.find((c) => c.path === '/auth/step-up/passkey/finish')?.body).toEqual({ ceremony: 'c1', credential: { id: 'cred' } });
  });
});
