import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { jsonResponse, mockApi, renderApp, setupUser } from '../../../test/render';
import { makeMe } from '../../../test/fixtures';
import { TID } from '../../../testids';
import type { Issuance } from '../api/operations';

function issuance(smevCheck: boolean): Issuance {
  return {
    id: 'i1', user_id: 'u1', user_login: 'ivanov', requested_by_login: 'ivanov', device_type_id: 'dt1', state: 'pending_approval',
    template_ids: ['t1'], certificates: [], created_at: '2026-11-30T10:00:00Z', updated_at: '2026-11-30T10:00:00Z', decided_at: null,
    decided_by_login: '', decision_comment: '', device_id: null, error: '', serial: '', skzi_number: '', skzi_date: '', version: 1,
    policy: { id: 'p1', name: 'Qualified', approval_required: true, initialise_before_issuance: true, random_user_pin: false, random_user_pin_email_manager: false, random_user_pin_email_user: false, random_user_pin_length: 8, skzi_accounting: false, smev_check: smevCheck },
  };
}

const page = (items: unknown[]) => jsonResponse({ items, total: items.length, page: 1, page_size: 20 });
const RECORD = {
  issuance_id: 'i1', request_id: 'i1', checked_at: '2026-11-30T10:00:00Z', answer: { result: 'match', fields: [] },
  form: { last_name: 'Иванов', first_name: 'Иван', middle_name: 'Иванович', birth_date: '1980-05-17', snils: '11223344595', inn: '500100732259', passport_series: '4510', passport_number: '123456', email: '' },
};

function api(perms: string[], smevCheck: boolean) {
  document.cookie = 'custos_csrf=test';
  return mockApi((req) => {
    if (req.path === '/auth/me') return jsonResponse(makeMe(perms));
    if (req.path === '/device-types') return page([{ id: 'dt1', name: 'Rutoken ECP', pin_areas: [] }]);
    if (req.path === '/certificate-templates') return page([{ id: 't1', name: 'Qualified GOST' }]);
    if (req.path === '/issuances/i1') return jsonResponse({ ...issuance(smevCheck), history: [] });
    if (req.method === 'GET' && req.path === '/issuances/i1/smev') return jsonResponse(RECORD);
    return undefined;
  });
}

describe('Issuance page: SMEV check', () => {
  it('fetches the SMEV data only on the click and shows the form and the answer', async () => {
    const calls = api(['devices.read', 'devices.approve'], true);
    const user = setupUser();
    renderApp('/issuances/i1');
    const card = await screen.findByTestId(TID.issuanceSmev);
    expect(within(card).getByText('SMEV check')).toBeInTheDocument();
    expect(screen.queryByText('123456')).not.toBeInTheDocument();
    expect(calls.some((c) => c.path.endsWith('/smev'))).toBe(false);

    await user.click(within(card).getByRole('button', { name: 'Show SMEV data' }));
    expect(await within(card).findByText('123456')).toBeInTheDocument();
    const smevCalls = calls.filter((c) => c.path.endsWith('/smev'));
    expect(smevCalls).toHaveLength(1);
    expect(smevCalls[0]?.method).toBe('GET');
    expect(smevCalls[0]?.url.pathname).toBe('/api/v1/issuances/i1/smev');
    expect(within(card).getByText('Passport number')).toBeInTheDocument();
    expect(within(card).getByText('SNILS')).toBeInTheDocument();
    expect(within(card).getByText('11223344595')).toBeInTheDocument();
    expect(within(card).getByText('Иванов')).toBeInTheDocument();
    expect(within(card).getByText('Data confirmed')).toBeInTheDocument();
    expect(within(card).queryByRole('button', { name: 'Show SMEV data' })).not.toBeInTheDocument();
  });

  it('has no SMEV section without a check, nor for those who do not approve', async () => {
    const calls = api(['devices.read', 'devices.approve'], false);
    const { unmount } = renderApp('/issuances/i1');
    expect(await screen.findByRole('heading', { name: 'Issuance for ivanov' })).toBeInTheDocument();
    expect(screen.queryByTestId(TID.issuanceSmev)).not.toBeInTheDocument();
    unmount();
    api(['devices.read'], true);
    renderApp('/issuances/i1');
    expect(await screen.findByRole('heading', { name: 'Issuance for ivanov' })).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByTestId(TID.issuanceSmev)).not.toBeInTheDocument());
    expect(calls.some((c) => c.path.endsWith('/smev'))).toBe(false);
  });
});
