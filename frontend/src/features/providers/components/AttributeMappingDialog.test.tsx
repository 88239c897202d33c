import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { pasteInto, renderAt, setupUser } from '../../../test/render';
import { TID } from '../../../testids';
import { AttributeMappingDialog, duplicateFroms } from './AttributeMappingDialog';

const attribute = { code: 'user_roles', name: 'Role' };

describe('AttributeMappingDialog', () => {
  it('adds rules, deletes one, and applies the rest trimmed', async () => {
    const user = setupUser();
    const onApply = vi.fn();
    renderAt(<AttributeMappingDialog open attribute={attribute} rules={[{ from: 'app.roles.admin', to: 'administrators' }]} onApply={onApply} onCancel={vi.fn()} />);
    const dialog = within(await screen.findByTestId(TID.mappingDialog));
    expect(dialog.getByText('Attribute mapping: Role')).toBeInTheDocument();
    await waitFor(() => expect(dialog.getByLabelText('Provider value 1')).toHaveValue('app.roles.admin'));

    await user.click(dialog.getByRole('button', { name: /Add rule/ }));
    await pasteInto(user, dialog.getByLabelText('Provider value 2'), ' app.roles.viewer ');
    await pasteInto(user, dialog.getByLabelText('Schema value 2'), 'auditors');
    await user.click(dialog.getByRole('button', { name: /Add rule/ }));
    await pasteInto(user, dialog.getByLabelText('Provider value 3'), 'gone');
    await user.click(dialog.getByRole('button', { name: 'Delete rule 3' }));
    expect(dialog.queryByLabelText('Provider value 3')).not.toBeInTheDocument();

    await user.click(dialog.getByRole('button', { name: 'Apply' }));
    await waitFor(() =>
      expect(onApply).toHaveBeenCalledWith([
        { from: 'app.roles.admin', to: 'administrators' },
        { from: 'app.roles.viewer', to: 'auditors' },
      ]),
    );
  });

  it('refuses empty values and a provider value given twice', async () => {
    const user = setupUser();
    const onApply = vi.fn();
    renderAt(<AttributeMappingDialog open attribute={attribute} rules={[{ from: 'a', to: 'b' }]} onApply={onApply} onCancel={vi.fn()} />);
    const dialog = within(await screen.findByTestId(TID.mappingDialog));
    await waitFor(() => expect(dialog.getByLabelText('Provider value 1')).toHaveValue('a'));
    await user.click(dialog.getByRole('button', { name: /Add rule/ }));
    await pasteInto(user, dialog.getByLabelText('Provider value 2'), 'a');
    await user.click(dialog.getByRole('button', { name: 'Apply' }));
    expect(await dialog.findByText('This value is already listed')).toBeInTheDocument();
    expect(dialog.getByText('Required field')).toBeInTheDocument();
    expect(onApply).not.toHaveBeenCalled();
  });

  it('duplicateFroms marks the later rows of a repeated provider value', () => {
    expect(duplicateFroms([{ from: 'a' }, { from: 'b' }, { from: ' a ' }, { from: '' }, { from: '' }])).toEqual([2]);
  });
});
