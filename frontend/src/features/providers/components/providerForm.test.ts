import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../api/http';
import type { Provider } from '../api/types';
import {
  differs,
  emptyProvider,
  fieldsFor,
  mappingsFor,
  nextPort,
  nextUserAttr,
  providerToValues,
  remapMappingErrors,
  valuesToCreate,
  valuesToUpdate,
  type ProviderFormValues,
} from './providerForm';

const values = (over: Partial<ProviderFormValues> = {}): ProviderFormValues => ({
  ...emptyProvider,
  name: ' Corp ID ',
  params: {
    ...emptyProvider.params,
    client_id: 'cid',
    client_secret: 'sec',
    external_url: 'https://id.example.com',
    host: 'ldap.example.com',
    base_dn: 'dc=example,dc=com',
    bind_dn: 'cn=reader',
    bind_password: 'pw',
  },
  ...over,
});

const saved: Provider = {
  id: 'p1',
  name: 'Corp LDAP',
  type: 'ldap',
  active: false,
  button_label: '',
  base_group_ids: ['g2', 'g1'],
  allow_user_creation: false,
  user_type_id: null,
  params: { host: 'h', port: 389, bind_dn: '', bind_password_set: true, connection: 'plain', server_type: 'ad', base_dn: 'dc=x', filter: '', username_attribute: 'sAMAccountName', ca_cert: '' },
  mappings: [
    { attribute: 'user_roles', source: '', rules: [{ from: 'a', to: 'b' }] },
    { attribute: 'dept', source: 'department', rules: [] },
  ],
  version: 3,
  created_at: '',
  updated_at: '',
};

describe('fieldsFor', () => {
  it('shows the Parameters tab for every type but local, and the button label only for oidc', () => {
    expect(fieldsFor('local')).toEqual({ paramsTab: false, params: 'none', buttonLabel: false });
    expect(fieldsFor('oidc')).toEqual({ paramsTab: true, params: 'oidc', buttonLabel: true });
    expect(fieldsFor('oidc_token')).toMatchObject({ params: 'oidc', buttonLabel: false });
    expect(fieldsFor('oidc_cookie')).toMatchObject({ params: 'oidc', buttonLabel: false });
    expect(fieldsFor('rest')).toMatchObject({ params: 'rest', buttonLabel: false });
    expect(fieldsFor('ldap')).toMatchObject({ params: 'ldap', buttonLabel: false });
    expect(fieldsFor('ldap_kerberos')).toMatchObject({ paramsTab: true, params: 'kerberos' });
  });
});

describe('LDAP defaults', () => {
  it('moves the port between 389 and 636 only while it is the old default', () => {
    expect(nextPort('plain', 'ssl', 389)).toBe(636);
    expect(nextPort('ssl', 'starttls', 636)).toBe(389);
    expect(nextPort('plain', 'starttls', 389)).toBe(389);
    expect(nextPort('plain', 'ssl', null)).toBe(636);
    expect(nextPort('plain', 'ssl', 10389)).toBe(10389);
  });
  it('prefills the username attribute from the server type unless it was changed', () => {
    expect(nextUserAttr('ad', 'openldap', 'sAMAccountName')).toBe('uid');
    expect(nextUserAttr('openldap', 'ad', 'uid')).toBe('sAMAccountName');
    expect(nextUserAttr('ad', 'openldap', '')).toBe('uid');
    expect(nextUserAttr('ad', 'openldap', 'mail')).toBe('mail');
  });
});

describe('values → API', () => {
  it('sends only the parameters of the type, the button label only for oidc and the user type only with creation', () => {
    const oidc = valuesToCreate(values({ button_label: 'Sign in', allow_user_creation: false, user_type_id: 't1' }));
    expect(oidc).toMatchObject({ name: 'Corp ID', type: 'oidc', button_label: 'Sign in', params: { client_id: 'cid', client_secret: 'sec', external_url: 'https://id.example.com' } });
    expect(oidc.user_type_id).toBeUndefined();
    const token = valuesToCreate(values({ type: 'oidc_token', button_label: 'left over', allow_user_creation: true, user_type_id: 't1' }));
    expect(token.button_label).toBeUndefined();
    expect(token.user_type_id).toBe('t1');
    expect(valuesToCreate(values({ type: 'rest' })).params).toEqual({ external_url: 'https://id.example.com' });
    expect(valuesToCreate(values({ type: 'ldap_kerberos' })).params).toBeUndefined();
    expect(valuesToCreate(values({ type: 'local' })).params).toBeUndefined();
    expect(valuesToCreate(values({ type: 'ldap' })).params).toEqual({
      host: 'ldap.example.com',
      port: 389,
      bind_dn: 'cn=reader',
      bind_password: 'pw',
      connection: 'plain',
      server_type: 'ad',
      base_dn: 'dc=example,dc=com',
      filter: '',
      username_attribute: 'sAMAccountName',
      ca_cert: '',
    });
  });

  it('treats secrets as write-only: undefined keeps, null removes, text replaces', () => {
    const p = (v: string | null | undefined) => valuesToUpdate(values({ type: 'ldap', params: { ...values().params, bind_password: v } }), 2).params;
    expect(p(undefined)).not.toHaveProperty('bind_password');
    expect(p('')).not.toHaveProperty('bind_password');
    expect(p(null)).toHaveProperty('bind_password', '');
    expect(p('new')).toHaveProperty('bind_password', 'new');
  });

  it('clears the user type with "" on update when creation is off, and never sends the type', () => {
    const body = valuesToUpdate(values({ allow_user_creation: false, user_type_id: 't1' }), 7);
    expect(body).toMatchObject({ version: 7, user_type_id: '' });
    expect(body).not.toHaveProperty('type');
    expect(valuesToUpdate(values({ type: 'rest', button_label: 'x' }), 1).button_label).toBe('');
  });

  it('sends mappings that have a source or rules, trimmed', () => {
    const r = mappingsFor({
      user_roles: { source: '', rules: [{ from: ' a ', to: 'b' }] },
      dept: { source: ' department ', rules: [] },
      region: { source: '  ', rules: [] },
    });
    expect(r.mappings).toEqual([
      { attribute: 'user_roles', source: '', rules: [{ from: 'a', to: 'b' }] },
      { attribute: 'dept', source: 'department', rules: [] },
    ]);
    expect(r.order).toEqual(['user_roles', 'dept']);
  });
});

describe('API → values', () => {
  it('keys mappings by attribute and keeps secrets out of the form', () => {
    const v = providerToValues(saved);
    expect(v.mappings).toEqual({ user_roles: { source: '', rules: [{ from: 'a', to: 'b' }] }, dept: { source: 'department', rules: [] } });
    expect(v.params.bind_password).toBeUndefined();
    expect(v.params.port).toBe(389);
  });

  it('differs notices real changes only', () => {
    const v = providerToValues(saved);
    expect(differs(saved, v)).toBe(false);
    expect(differs(saved, { ...v, base_group_ids: ['g1', 'g2'] })).toBe(false);
    expect(differs(saved, { ...v, mappings: { dept: v.mappings.dept!, user_roles: v.mappings.user_roles! } })).toBe(false);
    expect(differs(saved, { ...v, params: { ...v.params, host: 'other' } })).toBe(true);
    expect(differs(saved, { ...v, params: { ...v.params, bind_password: 'typed' } })).toBe(true);
  });

  it('renames mapping errors from the index sent to the attribute code', () => {
    const err = new ApiError({
      status: 400,
      code: 'validation.failed',
      errors: [
        { field: 'mappings.1.source', code: 'tooLong', message: '' },
        { field: 'mappings.0.rules.2.from', code: 'duplicate', message: '' },
        { field: 'params.host', code: 'required', message: '' },
      ],
    });
    const out = remapMappingErrors(err, ['user_roles', 'dept']) as ApiError;
    expect(out.errors.map((e) => e.field)).toEqual(['mappings.dept.source', 'mappings.user_roles.rules.2.from', 'params.host']);
    expect(out.code).toBe('validation.failed');
  });
});
