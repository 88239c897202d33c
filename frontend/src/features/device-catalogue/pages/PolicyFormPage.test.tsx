import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { jsonResponse, mockApi, pasteInto, renderApp, setupUser } from '../../../test/render';
import { makeMe } from '../../../test/fixtures';
import { TID } from '../../../testids';

const list = (items: unknown[]) => jsonResponse({ items, total: items.length, page: 1, page_size: 200 });

describe('Usage policy form', () => {
  it('groups the switches, shows dependent fields when their switch is on, and sends groups, templates and every switch', async () => {
    document.cookie = 'custos_csrf=test';
    const calls = mockApi((req) => {
      if (req.path === '/auth/me') return jsonResponse(makeMe(['devices.read', 'devices.write']));
      if (req.path === '/groups') return list([{ id: 'g1', code: 'staff', name: 'Staff' }]);
      if (req.path === '/certificate-templates') return list([{ id: 't1', name: 'Employee GOST' }]);
      if (req.method === 'POST' && req.path === '/device-policies') return jsonResponse({ id: 'p1' }, 201);
      if (req.path === '/device-policies/p1') return jsonResponse({ code: 'resource.notFound', status: 404, title: 'Not found' }, 404);
      return undefined;
    });
    const user = setupUser();
    renderApp('/device-policies/new');
    await pasteInto(user, await screen.findByLabelText('Name'), 'Staff tokens');
    await user.click(screen.getByRole('combobox', { name: 'Groups' }));
    await user.click(await screen.findByText('Staff', { selector: '.ant-select-item-option-content' }));

    const pins = screen.getByTestId(TID.policyGroupPins);
    expect(within(pins).queryByLabelText('PIN length')).not.toBeInTheDocument();
    await user.click(within(pins).getByRole('switch', { name: 'Random user PIN' }));
    expect(await within(pins).findByLabelText('PIN length')).toHaveValue('8');
    await user.click(within(pins).getByRole('switch', { name: 'E-mail to the manager' }));

    await user.click(within(screen.getByTestId(TID.policyGroupSkzi)).getByRole('switch', { name: 'Keep SKZI accounting' }));
    await user.click(within(screen.getByTestId(TID.policyGroupApproval)).getByRole('switch', { name: 'CA operator approval required' }));
    const smev = screen.getByTestId(TID.policyGroupSmev);
    expect(within(smev).queryByRole('switch', { name: 'User may edit the SMEV form' })).not.toBeInTheDocument();
    await user.click(within(smev).getByRole('switch', { name: 'SMEV check for qualified templates' }));
    await user.click(await within(smev).findByRole('switch', { name: 'User may edit the SMEV form' }));
    const tpl = screen.getByTestId(TID.policyGroupTemplates);
    await user.click(within(tpl).getByRole('combobox', { name: 'Certificate templates' }));
    await user.click(await screen.findByText('Employee GOST', { selector: '.ant-select-item-option-content' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      name: 'Staff tokens',
      description: '',
      priority: 100,
      group_ids: ['g1'],
      self_issuance_allowed: true,
      initialise_before_issuance: true,
      random_user_pin: { enabled: true, length: 8, show_once: true, email_user: false, email_manager: true },
      secret_questions_required: 0,
      skzi_accounting: true,
      approval_required: true,
      smev_check: true,
      smev_form_editable: true,
      template_ids: ['t1'],
      user_may_choose_templates: false,
    });
  });
});
