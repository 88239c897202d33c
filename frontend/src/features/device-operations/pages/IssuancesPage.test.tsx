import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { currentUrl, jsonResponse, mockApi, pasteInto, renderApp, setupUser } from '../../../test/render';
import { makeMe, makeUser } from '../../../test/fixtures';
import { TID } from '../../../testids';
import type { Issuance } from '../api/operations';

function issuance(over: Partial<Issuance> = {}): Issuance {
  return {
    id: 'i1', user_id: 'u1', user_login: 'ivanov', requested_by_login: 'ivanov', device_type_id: 'dt1', state: 'pending_approval',
    template_ids: ['t1'], certificates: [], created_at: '2026-11-30T10:00:00Z', updated_at: '2026-11-30T10:00:00Z', decided_at: null,
    decided_by_login: '', decision_comment: '', device_id: null, error: '', serial: '', skzi_number: '', skzi_date: '', version: 1,
    policy: { id: 'p1', name: 'Staff tokens', approval_required: true, initialise_before_issuance: true, random_user_pin: false, random_user_pin_email_manager: false, random_user_pin_email_user: false, random_user_pin_length: 8, skzi_accounting: true, smev_check: false },
    ...over,
  };
}

const page = (items: unknown[]) => jsonResponse({ items, total: items.length, page: 1, page_size: 20 });
const ROWS = [issuance(), issuance({ id: 'i2', user_login: 'petrov', user_id: 'u2' })];

function api(perms: string[], more: Parameters<typeof mockApi>[0] = () => undefined) {
  document.cookie = 'custos_csrf=test';
  return mockApi((req) => {
    if (req.path === '/auth/me') return jsonResponse(makeMe(perms));
    if (req.path === '/device-types') return page([{ id: 'dt1', name: 'Rutoken ECP', pin_areas: [] }]);
    if (req.path === '/certificate-templates') return page([{ id: 't1', name: 'Employee GOST' }]);
    const r = more(req);
    if (r) return r;
    if (req.method === 'GET' && req.path === '/issuances') return page(ROWS);
    return undefined;
  });
}

describe('Issuances queue', () => {
  it('asks for the pending queue by default; Any state drops the filter; viewers get no decision buttons', async () => {
    const calls = api(['devices.read']);
    const user = setupUser();
    renderApp('/issuances');
    expect(await screen.findByText('petrov')).toBeInTheDocument();
    expect(calls.filter((c) => c.path === '/issuances')[0]?.url.searchParams.get('state')).toBe('pending_approval');
    expect(screen.queryByTestId(TID.issuanceApprove)).not.toBeInTheDocument();
    expect(screen.queryByTestId(TID.issueForUser)).not.toBeInTheDocument();
    await user.click(screen.getByRole('combobox', { name: 'State' }));
    await user.click(await screen.findByText('All states', { selector: '.ant-select-item-option-content' }));
    await waitFor(() => expect(currentUrl().searchParams.get('state')).toBe('any'));
    await waitFor(() => expect(calls.filter((c) => c.path === '/issuances').at(-1)?.url.searchParams.has('state')).toBe(false));
  });

  it('rejects with a required comment', async () => {
    const calls = api(['devices.read', 'devices.approve'], (req) => (req.method === 'POST' && req.path === '/issuances/i2/reject' ? jsonResponse(issuance({ id: 'i2', state: 'rejected' })) : undefined));
    const user = setupUser();
    renderApp('/issuances');
    const row = (await screen.findByText('petrov')).closest('tr') as HTMLElement;
    await user.click(within(row).getByTestId(TID.issuanceReject));
    const dialog = await screen.findByTestId(TID.issuanceDecisionDialog);
    expect(within(dialog).getByText('Reject: petrov')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Reject' }));
    expect(await within(dialog).findByText('Say why the request is rejected')).toBeInTheDocument();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    await pasteInto(user, within(dialog).getByLabelText('Comment'), 'No SKZI document');
    await user.click(within(dialog).getByRole('button', { name: 'Reject' }));
    await waitFor(() => expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ comment: 'No SKZI document' }));
    expect(await screen.findByText('Request rejected')).toBeInTheDocument();
  });

  it('approves a selection in bulk and names each refused request with its reason', async () => {
    const calls = api(['devices.read', 'devices.approve'], (req) =>
      req.method === 'POST' && req.path === '/issuances/bulk-approve'
        ? jsonResponse({ results: [{ id: 'i1', ok: true }, { id: 'i2', ok: false, code: 'issuance.ownRequest', message: 'own request' }] })
        : undefined,
    );
    const user = setupUser();
    renderApp('/issuances');
    await screen.findByText('petrov');
    await user.click(screen.getByRole('checkbox', { name: /ivanov/ }));
    await user.click(screen.getByRole('checkbox', { name: /petrov/ }));
    await user.click(within(screen.getByTestId(TID.bulkBar)).getByTestId(TID.issuanceBulkApprove));
    const dialog = await screen.findByTestId(TID.issuanceDecisionDialog);
    await user.click(within(dialog).getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(calls.find((c) => c.path === '/issuances/bulk-approve')?.body).toEqual({ ids: ['i1', 'i2'], comment: '' }));
    expect(await screen.findByText('Approved: 1')).toBeInTheDocument();
    expect(await screen.findByTestId(TID.issuanceBulkReport)).toHaveTextContent('petrov: Nobody decides on their own request.');
  });

  it('issues for a user: shows the user’s policy, offers its templates and asks for the SKZI document', async () => {
    const calls = api(['devices.read', 'devices.write'], (req) => {
      if (req.path === '/users') return page([makeUser({ id: 'u9', login: 'sidorov', display_name: '' })]);
      if (req.path === '/users/u9/device-policy')
        return jsonResponse({ group: { id: 'g1', code: 'staff', name: 'Staff' }, policy: { id: 'p1', name: 'Staff tokens', template_ids: ['t1'], skzi_accounting: true } });
      if (req.method === 'POST' && req.path === '/issuances') return jsonResponse(issuance({ id: 'i9', user_login: 'sidorov', state: 'approved' }), 201);
      if (req.path === '/issuances/i9') return jsonResponse({ ...issuance({ id: 'i9', user_login: 'sidorov', state: 'approved' }), history: [] });
      return undefined;
    });
    const user = setupUser();
    renderApp('/issuances');
    await user.click(await screen.findByTestId(TID.issueForUser));
    const dialog = await screen.findByTestId(TID.issueForUserDialog);
    await user.click(within(dialog).getByRole('combobox', { name: 'User' }));
    await user.click(await screen.findByText('sidorov', { selector: '.ant-select-item-option-content' }));
    expect(await within(dialog).findByTestId(TID.issueForUserPolicy)).toHaveTextContent('Usage policy: Staff tokens');
    await user.click(within(dialog).getByRole('combobox', { name: 'Device type' }));
    await user.click(await screen.findByText('Rutoken ECP', { selector: '.ant-select-item-option-content' }));
    await user.click(within(dialog).getByRole('combobox', { name: 'Certificates' }));
    await user.click(await screen.findByText('Employee GOST', { selector: '.ant-select-item-option-content' }));
    await pasteInto(user, within(dialog).getByLabelText('SKZI doc. number'), 'СКЗИ-17');
    await user.click(within(dialog).getByLabelText('SKZI doc. date'));
    await user.paste('2026-11-30');
    await user.keyboard('{Enter}');
    await user.click(within(dialog).getByRole('button', { name: 'Issue' }));
    await waitFor(() =>
      expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ user_id: 'u9', device_type_id: 'dt1', template_ids: ['t1'], skzi_number: 'СКЗИ-17', skzi_date: '2026-11-30' }),
    );
    await waitFor(() => expect(currentUrl().pathname).toBe('/issuances/i9'));
  });

  it('shows one issuance with its history: states, who, when and the comment', async () => {
    api(['devices.read'], (req) =>
      req.path === '/issuances/i1'
        ? jsonResponse({
            ...issuance({ state: 'rejected', decided_at: '2026-11-30T11:00:00Z', decided_by_login: 'operator', decision_comment: 'No SKZI document' }),
            history: [
              { issuance_id: 'i1', from: '', to: 'pending_approval', actor_login: 'ivanov', at: '2026-11-30T10:00:00Z', comment: '' },
              { issuance_id: 'i1', from: 'pending_approval', to: 'rejected', actor_login: 'operator', at: '2026-11-30T11:00:00Z', comment: 'No SKZI document' },
            ],
          })
        : undefined,
    );
    renderApp('/issuances/i1');
    expect(await screen.findByRole('heading', { name: 'Issuance for ivanov' })).toBeInTheDocument();
    const history = await screen.findByTestId(TID.deviceHistory);
    expect(within(history).getAllByText('Rejected')).toHaveLength(1);
    expect(within(history).getByText(/operator/)).toBeInTheDocument();
    expect(within(history).getByText('«No SKZI document»')).toBeInTheDocument();
    expect(screen.getByTestId(TID.issuanceDetails)).toHaveTextContent('Staff tokens');
    expect(screen.getByTestId(TID.issuanceDetails)).toHaveTextContent('Employee GOST');
    expect(screen.queryByTestId(TID.issuanceApprove)).not.toBeInTheDocument();
  });
});
