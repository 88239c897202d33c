import type { User, UserCreate, UserUpdate } from '../../../api/types';

/** UserFormValues are the form's fields, named as the API's JSON fields. */
export interface UserFormValues {
  login: string;
  email: string;
  display_name: string;
  user_type_id?: string | null;
  active: boolean;
  ldap_precheck: boolean;
  group_ids: string[];
  password?: string;
}

export const emptyUser: UserFormValues = {
  login: '',
  email: '',
  display_name: '',
  user_type_id: undefined,
  active: true,
  ldap_precheck: false,
  group_ids: [],
  password: '',
};

export function userToValues(u: User): UserFormValues {
  return {
    login: u.login,
    email: u.email ?? '',
    display_name: u.display_name ?? '',
    user_type_id: u.user_type_id ?? undefined,
    active: u.active,
    ldap_precheck: u.ldap_precheck,
    group_ids: u.group_ids ?? [],
  };
}

export function valuesToCreate(v: UserFormValues): UserCreate {
  const body: UserCreate = {
    login: v.login.trim(),
    email: v.email?.trim() || undefined,
    display_name: v.display_name?.trim() || undefined,
    user_type_id: v.user_type_id || undefined,
    active: v.active,
    ldap_precheck: v.ldap_precheck,
    group_ids: v.group_ids ?? [],
  };
  if (v.password) body.password = v.password;
  return body;
}

export function valuesToUpdate(v: UserFormValues, version: number): UserUpdate {
  return {
    version,
    login: v.login.trim(),
    email: v.email?.trim() ?? '',
    display_name: v.display_name?.trim() ?? '',
    // An empty user type is cleared explicitly; an absent field would keep the old one.
    ...(v.user_type_id ? { user_type_id: v.user_type_id } : { clear_user_type: true }),
    active: v.active,
    ldap_precheck: v.ldap_precheck,
    group_ids: v.group_ids ?? [],
  };
}
