// A user created in the console starts in the local provider's base groups (SPEC §5.3).
// It changes the local provider for every user created meanwhile, so it runs in the
// "exclusive" project after all other tests.
import { expect, test, unique } from '../fixtures';

test('a user created in the console starts in the local provider\'s base groups', async ({ adminPage: page, api }) => {
  const localId = (await api.get('/providers?type=local')).items[0].id as string;
  const auditors = await api.groupId('auditors');
  const before = await api.get(`/providers/${localId}`);
  await api.patch(`/providers/${localId}`, { version: before.version, base_group_ids: [auditors] });
  try {
    const login = unique('based');
    await page.goto('/users/new');
    await page.getByLabel('Login', { exact: true }).fill(login);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(async () => (await api.get(`/users?q=${login}`)).items[0]?.group_ids ?? [])
      .toEqual([auditors]);
  } finally {
    const now = await api.get(`/providers/${localId}`);
    await api.patch(`/providers/${localId}`, { version: now.version, base_group_ids: before.base_group_ids });
  }
});
