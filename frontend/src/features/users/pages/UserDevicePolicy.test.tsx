import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import { jsonResponse, mockApi, renderApp } from '../../../test/render';
import { makeMe, makeUser } from '../../../test/fixtures';
import { TID } from '../../../testids';

const empty = () => jsonResponse({ items: [], total: 0, page: 1, page_size: 200 });

function api(perms: string[], effective: unknown) {
  document.cookie = 'custos_csrf=t';
  return mockApi(({ path }) => {
    if (path === '/auth/me') return jsonResponse(makeMe(perms));
    if (path === '/groups' || path === '/user-types') return empty();
    if (path === '/users/u1') return jsonResponse(makeUser());
    if (path === '/users/u1/device-policy') return jsonResponse(effective);
    return undefined;
  });
}

describe('the user card: device usage policy', () => {
  it('names the policy that applies and the group it comes from', async () => {
    api(['users.read', 'devices.read'], { policy: { id: 'p1', name: 'Staff tokens' }, group: { id: 'g1', code: 'staff', name: 'Staff' } });
    renderApp('/users/u1');
    expect(await screen.findByTestId(TID.userDevicePolicy)).toHaveTextContent('Device usage policy: Staff tokens (from group Staff)');
  });

  it('says none when no policy applies, and is not asked for without devices.read', async () => {
    api(['users.read', 'devices.read'], { policy: null, group: null });
    const { unmount } = renderApp('/users/u1');
    expect(await screen.findByTestId(TID.userDevicePolicy)).toHaveTextContent('Device usage policy: none');
    unmount();
    const calls = api(['users.read'], { policy: null, group: null });
    renderApp('/users/u1');
    expect(await screen.findByLabelText('Display name')).toBeInTheDocument();
    expect(screen.queryByTestId(TID.userDevicePolicy)).not.toBeInTheDocument();
    expect(calls.some((c) => c.path === '/users/u1/device-policy')).toBe(false);
  });
});
