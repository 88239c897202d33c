import type { Me, User } from '../api/types';

export function makeUser(over: Partial<User> = {}): User {
  return {
    id: 'u1',
    login: 'alice',
    email: 'alice@example.com',
    display_name: 'Alice',
    user_type_id: null,
    active: true,
    ldap_precheck: false,
    group_ids: [],
    extra_attributes: {},
    attributes: {},
    source_provider_id: null,
    last_login_at: null,
    version: 1,
    created_at: '2024-01-01T00:00:00Z',
    updated_at: '2024-01-01T00:00:00Z',
    ...over,
  };
}

export function makeMe(permissions: string[]): Me {
  return { user: makeUser({ id: 'admin', login: 'tech_admin', display_name: 'Tech Admin' }), groups: [], permissions };
}
