import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { jsonResponse, mockApi, renderAt } from '../../../test/render';
import { ChangePasswordDialog } from './ChangePasswordDialog';

// fireEvent rather than user-event: typing key by key into antd inputs is slow in jsdom.
async function fill(current: string, next: string, confirm = next) {
  fireEvent.change(await screen.findByLabelText('Current password'), { target: { value: current } });
  fireEvent.change(screen.getByLabelText('New password'), { target: { value: next } });
  fireEvent.change(screen.getByLabelText('Repeat the new password'), { target: { value: confirm } });
  fireEvent.click(screen.getByText('Change password').closest('button')!);
}

describe('ChangePasswordDialog', () => {
  it('puts the server refusal of the current password on its field and stays open', async () => {
    document.cookie = 'custos_csrf=t';
    const onClose = vi.fn();
    const calls = mockApi(({ method, path }) =>
      method === 'POST' && path === '/auth/password'
        ? jsonResponse({ status: 400, code: 'auth.wrongCurrentPassword', errors: [{ field: 'current_password', code: 'wrong', message: 'wrong' }] }, 400)
        : undefined,
    );
    renderAt(<ChangePasswordDialog open onClose={onClose} />);
    await fill('old-pw', 'Birch-New-2');
    expect(await screen.findByText('Wrong password')).toBeInTheDocument();
    expect(calls.find((c) => c.path === '/auth/password')?.body).toEqual({ current_password: 'old-pw', new_password: 'Birch-New-2' });
    expect(onClose).not.toHaveBeenCalled();
  });

  it('does not send a new password typed differently twice', async () => {
    const calls = mockApi(() => undefined);
    renderAt(<ChangePasswordDialog open onClose={() => {}} />);
    await fill('old-pw', 'Birch-New-2', 'Birch-New-3');
    expect(await screen.findByText('The passwords do not match')).toBeInTheDocument();
    await waitFor(() => expect(calls).toHaveLength(0));
  });
});
