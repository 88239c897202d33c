import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { jsonResponse, mockApi, pasteInto, renderApp, setupUser } from '../../../test/render';
import { makeMe, makeUser } from '../../../test/fixtures';
import { TID } from '../../../testids';

function api(more: Parameters<typeof mockApi>[0] = () => undefined) {
  document.cookie = 'custos_csrf=test';
  return mockApi((req) => {
    if (req.path === '/auth/me') return jsonResponse(makeMe(['devices.read', 'devices.write', 'users.read']));
    if (req.method === 'GET' && req.path === '/users') return jsonResponse({ items: [makeUser({ id: 'u7', login: 'ivanov', display_name: 'Иван Иванов' })], total: 1, page: 1, page_size: 20 });
    return more(req);
  });
}

describe('Certificate template form', () => {
  it('builds the subject from RDN rows and placeholder chips; a field error lands on its row; the usages are sent', async () => {
    const calls = api((req) =>
      req.method === 'POST' && req.path === '/certificate-templates'
        ? jsonResponse(
            { type: 'about:blank', title: 'Invalid', status: 400, code: 'validation.failed', errors: [{ field: 'subject.2.value', code: 'unknownPlaceholder', message: 'unknown placeholder {{attr.}}' }] },
            400,
          )
        : undefined,
    );
    const user = setupUser();
    renderApp('/certificate-templates/new');
    await pasteInto(user, await screen.findByLabelText('Name'), 'Employee GOST');
    const subject = screen.getByTestId(TID.templateSubject);
    expect(within(subject).getByLabelText('Value 1')).toHaveValue('{{display_name}}');
    await user.click(within(subject).getByRole('button', { name: /Add attribute/ }));
    const third = within(subject).getByLabelText('Value 3');
    await pasteInto(user, third, 'Dept ');
    await user.click(within(subject).getByText('{{attr.<code>}}'));
    expect(third).toHaveValue('Dept {{attr.}}');
    await user.click(within(screen.getByTestId(TID.templateKeyUsages)).getByRole('checkbox', { name: 'Non-repudiation' }));
    await user.click(screen.getByRole('switch', { name: 'Qualified' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await within(subject).findByText('unknown placeholder {{attr.}}')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      name: 'Employee GOST',
      description: '',
      key_algorithm: 'ecdsa-p256',
      validity_days: 365,
      subject: [
        { attr: 'CN', value: '{{display_name}}' },
        { attr: 'E', value: '{{email}}' },
        { attr: 'OU', value: 'Dept {{attr.}}' },
      ],
      key_usages: ['digitalSignature', 'nonRepudiation'],
      extended_key_usages: ['clientAuth'],
      qualified: true,
    });
  });

  it('previews the subject for a picked user and names the placeholders that came out empty', async () => {
    const calls = api((req) =>
      req.method === 'POST' && req.path === '/certificate-templates/preview'
        ? jsonResponse({ subject: 'CN=Иван Иванов', rdns: [{ attr: 'CN', value: 'Иван Иванов' }], empty_placeholders: ['{{email}}'], omitted: ['E'] })
        : undefined,
    );
    const user = setupUser();
    renderApp('/certificate-templates/new');
    const preview = await screen.findByTestId(TID.templatePreview);
    await user.click(within(preview).getByRole('combobox', { name: 'Pick a user' }));
    await user.click(await screen.findByText('ivanov (Иван Иванов)', { selector: '.ant-select-item-option-content' }));
    await user.click(within(preview).getByRole('button', { name: 'Show subject' }));
    expect(await within(preview).findByTestId(TID.templatePreviewSubject)).toHaveTextContent('CN=Иван Иванов');
    expect(within(preview).getByTestId(TID.templatePreviewEmpty)).toHaveTextContent('Empty for this user: {{email}}');
    expect(within(preview).getByTestId(TID.templatePreviewEmpty)).toHaveTextContent('Left out of the subject: E');
    await waitFor(() =>
      expect(calls.find((c) => c.path === '/certificate-templates/preview')?.body).toEqual({
        user_id: 'u7',
        subject: [
          { attr: 'CN', value: '{{display_name}}' },
          { attr: 'E', value: '{{email}}' },
        ],
      }),
    );
  });
});
