// Entity types of the Custos API. The shapes come from the generated
// schema.d.ts (`npm run gen`, from api/swagger.json written by swag), so the SPA
// and the API cannot drift: a renamed or removed field breaks the type check.
// swag marks no field as required, so `Present` states what the server always
// writes (every field), which of them may be null, and which may be absent.
import type { definitions } from './schema';

type Defs = definitions;

/** Present makes every field of a generated definition required; N may be null, O stays optional. */
type Present<T, N extends keyof T = never, O extends keyof T = never> = {
  [K in Exclude<keyof T, N | O>]-?: Exclude<T[K], undefined>;
} & { [K in N]-?: Exclude<T[K], undefined> | null } & { [K in O]?: Exclude<T[K], undefined> };

/** Same<A, B> is true only when both have exactly the same keys (a compile-time drift check). */
type Same<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
type Assert<T extends true> = T;

/** Permission strings; the same strings API-token scopes use. */
export type Permission =
  | 'providers.read'
  | 'providers.write'
  | 'users.read'
  | 'users.write'
  | 'apiTokens.read'
  | 'apiTokens.write'
  | 'certificates.read'
  | 'certificates.write'
  | 'devices.read'
  | 'devices.write'
  | 'devices.approve'
  | 'audit.read'
  | 'stats.read'
  | 'settings.write'
  | 'selfservice';

export type FieldError = Present<Defs['apperr.FieldError'], never, 'message'>;

/** RFC 9457 problem document as the backend writes it. */
export type Problem = Omit<Present<Defs['Problem'], never, 'type' | 'title' | 'detail' | 'code' | 'request_id' | 'errors' | 'current'>, 'errors'> & {
  errors?: FieldError[];
};

export interface ListParams {
  q?: string;
  sort?: string;
  order?: 'asc' | 'desc';
  page?: number;
  page_size?: number;
  cursor?: string;
  [filter: string]: string | number | undefined;
}

export interface ListResponse<T> {
  items: T[];
  total: number;
  total_capped?: boolean;
  page: number;
  page_size: number;
  next_cursor?: string;
  prev_cursor?: string;
}

export type BulkResultItem = Present<Defs['BulkResult'], never, 'code' | 'message'>;
export interface BulkResult {
  results: BulkResultItem[];
}

export type User = Present<Defs['User'], 'user_type_id' | 'last_login_at' | 'source_provider_id'>;

export type UserCreate = Omit<Defs['UserInput'], 'login'> & { login: string };

export type UserUpdate = Defs['UserPatch'] & { version: number };

export type GroupRef = Present<Defs['GroupRef']>;

export type Me = Omit<Present<Defs['Me'], never, 'token'>, 'user' | 'groups'> & { user: User; groups: GroupRef[] };

export type Group = Present<Defs['Group']>;

export type GroupCreate = Present<Defs['GroupInput']>;

export type GroupUpdate = Defs['GroupPatch'] & { version: number };

export type PermissionInfo = Present<Defs['PermissionInfo']>;

export type UserType = Present<Defs['UserType']>;

export type UserTypeCreate = Present<Defs['UserTypeInput']>;

export type UserTypeUpdate = Defs['UserTypePatch'] & { version: number };

export type Licence = Present<Defs['Licence']>;

export type AccessType = Licence['access_type'];

export type Attribute = Present<Defs['Attribute']>;

export type AttributeType = Attribute['type'];

export type AttributeCreate = Present<Defs['AttributeInput']>;

export type AttributeUpdate = Defs['AttributePatch'] & { version: number };

export type ActorType = 'user' | 'token' | 'system' | 'anonymous';

/** The diff of an audit event: the resource before and after the change, secrets redacted. */
export interface AuditDiffBody {
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

export type AuditEvent = Omit<Present<Defs['AuditEvent']>, 'diff' | 'seq'> & {
  /** Null until the background writer has chained the event. */
  seq: number | null;
  diff: AuditDiffBody | null;
};

export type AuditVerifyResult = Present<Defs['AuditVerification'], never, 'broken_at_seq'>;

/** Fails the type check when the hand-written generic shapes drift from the generated ones. */
export type DriftChecks = [
  Assert<Same<ListResponse<unknown>, Defs['list.Page-User']>>,
  Assert<Same<BulkResult, Defs['BulkResponse']>>,
  Assert<Same<AuditEvent, Defs['AuditEvent']>>,
];

export const AUDIT_ACTIONS = [
  'create',
  'update',
  'delete',
  'activate',
  'deactivate',
  'password.set',
  'password.change',
  'login.success',
  'login.failure',
  'logout',
  'logout.all',
  'sessions.end',
  'revoke',
  'access.denied',
] as const;

export const AUDIT_RESOURCE_TYPES = ['provider', 'user', 'group', 'user_type', 'attribute', 'licence', 'session', 'api_token', 'personal_token'] as const;
