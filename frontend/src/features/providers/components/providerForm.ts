// The provider form's model: which fields a type shows, the LDAP defaults that follow
// the connection and server type, and the mapping between form values and the API.
import { ApiError, isApiError } from '../../../api/http';
import type { Mapping, MappingRule, Provider, ProviderCreate, ProviderParamsInput, ProviderType, ProviderUpdate } from '../api/types';

export type Connection = 'plain' | 'ssl' | 'starttls';
export type ServerType = 'ad' | 'openldap';

/**
 * SecretValue is a write-only field: undefined keeps the stored secret, null removes
 * it, a non-empty string replaces it (an empty string, mid-typing, keeps it too).
 */
export type SecretValue = string | null | undefined;

export interface ParamsValues {
  client_id: string;
  client_secret: SecretValue;
  external_url: string;
  host: string;
  port: number | null;
  bind_dn: string;
  bind_password: SecretValue;
  connection: Connection;
  server_type: ServerType;
  base_dn: string;
  filter: string;
  username_attribute: string;
  ca_cert: string;
}

export interface MappingValue {
  source: string;
  rules: MappingRule[];
}

export interface ProviderFormValues {
  name: string;
  type: ProviderType;
  active: boolean;
  button_label: string;
  base_group_ids: string[];
  allow_user_creation: boolean;
  user_type_id?: string;
  params: ParamsValues;
  /** Keyed by access-schema attribute code. */
  mappings: Record<string, MappingValue>;
}

/** ParamsKind is the set of parameters a type has. */
export type ParamsKind = 'none' | 'oidc' | 'rest' | 'ldap' | 'kerberos';

export interface TypeFields {
  /** The Parameters tab (not for local). */
  paramsTab: boolean;
  params: ParamsKind;
  /** The sign-in button caption (oidc only). */
  buttonLabel: boolean;
}

export function fieldsFor(type: ProviderType | undefined): TypeFields {
  switch (type) {
    case 'oidc':
      return { paramsTab: true, params: 'oidc', buttonLabel: true };
    case 'oidc_token':
    case 'oidc_cookie':
      return { paramsTab: true, params: 'oidc', buttonLabel: false };
    case 'rest':
      return { paramsTab: true, params: 'rest', buttonLabel: false };
    case 'ldap':
      return { paramsTab: true, params: 'ldap', buttonLabel: false };
    case 'ldap_kerberos':
      return { paramsTab: true, params: 'kerberos', buttonLabel: false };
    default:
      return { paramsTab: false, params: 'none', buttonLabel: false };
  }
}

/** SINGLE_ACTIVE types allow one active provider at a time (SPEC §4.4). */
export const SINGLE_ACTIVE: readonly ProviderType[] = ['oidc_cookie', 'ldap', 'ldap_kerberos'];

export const defaultPort = (c: Connection): number => (c === 'ssl' ? 636 : 389);
export const defaultUserAttr = (s: ServerType): string => (s === 'openldap' ? 'uid' : 'sAMAccountName');

/** nextPort follows the connection type while the port is empty or still the old default. */
export function nextPort(prev: Connection, next: Connection, port: number | null | undefined): number | null | undefined {
  if (port == null || port === defaultPort(prev)) return defaultPort(next);
  return port;
}

/** nextUserAttr follows the server type while the attribute is empty or still the old default. */
export function nextUserAttr(prev: ServerType, next: ServerType, attr: string | undefined): string | undefined {
  if (!attr?.trim() || attr === defaultUserAttr(prev)) return defaultUserAttr(next);
  return attr;
}

const emptyParams: ParamsValues = {
  client_id: '',
  client_secret: undefined,
  external_url: '',
  host: '',
  port: 389,
  bind_dn: '',
  bind_password: undefined,
  connection: 'plain',
  server_type: 'ad',
  base_dn: '',
  filter: '',
  username_attribute: 'sAMAccountName',
  ca_cert: '',
};

export const emptyProvider: ProviderFormValues = {
  name: '',
  type: 'oidc',
  active: false,
  button_label: '',
  base_group_ids: [],
  allow_user_creation: false,
  user_type_id: undefined,
  params: emptyParams,
  mappings: {},
};

export function providerToValues(p: Provider): ProviderFormValues {
  const pp = p.params ?? {};
  const mappings: Record<string, MappingValue> = {};
  for (const m of p.mappings ?? []) mappings[m.attribute] = { source: m.source ?? '', rules: (m.rules ?? []).map((r) => ({ ...r })) };
  return {
    name: p.name,
    type: p.type,
    active: p.active,
    button_label: p.button_label ?? '',
    base_group_ids: p.base_group_ids ?? [],
    allow_user_creation: p.allow_user_creation,
    user_type_id: p.user_type_id ?? undefined,
    params: {
      ...emptyParams,
      client_id: pp.client_id ?? '',
      external_url: pp.external_url ?? '',
      host: pp.host ?? '',
      port: pp.port ?? emptyParams.port,
      bind_dn: pp.bind_dn ?? '',
      connection: pp.connection ?? 'plain',
      server_type: pp.server_type ?? 'ad',
      base_dn: pp.base_dn ?? '',
      filter: pp.filter ?? '',
      username_attribute: pp.username_attribute ?? '',
      ca_cert: pp.ca_cert ?? '',
    },
    mappings,
  };
}

/** secretToSend: what a write-only field sends (undefined = leave the stored secret). */
export function secretToSend(v: SecretValue): string | undefined {
  if (v === null) return '';
  return v ? v : undefined;
}

/** paramsFor picks the parameters of the type; other types' values stay behind. */
export function paramsFor(type: ProviderType, p: ParamsValues): ProviderParamsInput | undefined {
  const kind = fieldsFor(type).params;
  const trim = (s: string | undefined) => (s ?? '').trim();
  if (kind === 'oidc') {
    const out: ProviderParamsInput = { client_id: trim(p.client_id), external_url: trim(p.external_url) };
    const secret = secretToSend(p.client_secret);
    if (secret !== undefined) out.client_secret = secret;
    return out;
  }
  if (kind === 'rest') return { external_url: trim(p.external_url) };
  if (kind !== 'ldap') return undefined;
  const out: ProviderParamsInput = {
    host: trim(p.host),
    port: p.port == null ? defaultPort(p.connection) : Number(p.port),
    bind_dn: trim(p.bind_dn),
    connection: p.connection,
    server_type: p.server_type,
    base_dn: trim(p.base_dn),
    filter: trim(p.filter),
    username_attribute: trim(p.username_attribute),
    ca_cert: p.connection === 'plain' ? '' : (p.ca_cert ?? '').trim(),
  };
  const pw = secretToSend(p.bind_password);
  if (pw !== undefined) out.bind_password = pw;
  return out;
}

/** mappingsFor lists the attributes that have a source or rules, and the order they were sent in. */
export function mappingsFor(values: Record<string, MappingValue> | undefined): { mappings: Mapping[]; order: string[] } {
  const mappings: Mapping[] = [];
  for (const [attribute, m] of Object.entries(values ?? {})) {
    const source = (m?.source ?? '').trim();
    const rules = (m?.rules ?? []).map((r) => ({ from: r.from.trim(), to: r.to.trim() }));
    if (source || rules.length > 0) mappings.push({ attribute, source, rules });
  }
  return { mappings, order: mappings.map((m) => m.attribute) };
}

export function valuesToCreate(v: ProviderFormValues): ProviderCreate {
  const f = fieldsFor(v.type);
  const body: ProviderCreate = {
    name: v.name.trim(),
    type: v.type,
    active: v.active,
    base_group_ids: v.base_group_ids ?? [],
    allow_user_creation: v.allow_user_creation,
    mappings: mappingsFor(v.mappings).mappings,
  };
  if (f.buttonLabel && v.button_label?.trim()) body.button_label = v.button_label.trim();
  if (v.allow_user_creation && v.user_type_id) body.user_type_id = v.user_type_id;
  const params = paramsFor(v.type, v.params);
  if (params) body.params = params;
  return body;
}

export function valuesToUpdate(v: ProviderFormValues, version: number): ProviderUpdate {
  const f = fieldsFor(v.type);
  const body: ProviderUpdate = {
    version,
    name: v.name.trim(),
    active: v.active,
    button_label: f.buttonLabel ? (v.button_label ?? '').trim() : '',
    base_group_ids: v.base_group_ids ?? [],
    allow_user_creation: v.allow_user_creation,
    // "" clears the user type; it needs creation allowed.
    user_type_id: v.allow_user_creation && v.user_type_id ? v.user_type_id : '',
    mappings: mappingsFor(v.mappings).mappings,
  };
  const params = paramsFor(v.type, v.params);
  if (params) body.params = params;
  return body;
}

/**
 * remapMappingErrors renames the server's mappings.<index>.* fields after the
 * attribute codes the form uses (mappings.<code>.*), so they land on their inputs.
 */
export function remapMappingErrors(err: unknown, order: string[]): unknown {
  if (!isApiError(err) || err.errors.length === 0) return err;
  const errors = err.errors.map((fe) => {
    const m = /^mappings\.(\d+)(\..*)?$/.exec(fe.field);
    const code = m ? order[Number(m[1])] : undefined;
    return code ? { ...fe, field: `mappings.${code}${m?.[2] ?? ''}` } : fe;
  });
  return new ApiError({ status: err.status, code: err.code, detail: err.detail, title: err.title, errors, current: err.current, requestId: err.requestId });
}

/** differs tells whether the form holds changes not yet saved to the provider. */
export function differs(saved: Provider, values: ProviderFormValues): boolean {
  const norm = (v: ProviderFormValues) => {
    const b = valuesToUpdate(v, 0);
    b.mappings = [...(b.mappings ?? [])].sort((x, y) => (x.attribute ?? '').localeCompare(y.attribute ?? ''));
    b.base_group_ids = [...(b.base_group_ids ?? [])].sort();
    return JSON.stringify(b);
  };
  return norm(values) !== norm(providerToValues(saved));
}

/** hasRules tells whether an attribute carries mapping rules (the dot marker). */
export const hasRules = (m: MappingValue | undefined): boolean => (m?.rules?.length ?? 0) > 0;

/** isUnmapped: no provider attribute and no rules ("Without mapping" shows these). */
export const isUnmapped = (m: MappingValue | undefined): boolean => !m?.source?.trim() && !hasRules(m);
