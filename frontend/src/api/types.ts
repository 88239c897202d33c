// Entity types of the Custos API: aliases of the generated schema.d.ts (`npm run gen`,
// from api/swagger.json written by swag), so the SPA and the API cannot drift. The
// document says which fields are always present (required) and which may be null
// (x-nullable), so the aliases need no hand-written corrections.
import type { definitions } from './schema';

type Defs = definitions;

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
  | 'selfservice'
  | 'cabinet';

export type FieldError = Defs['apperr.FieldError'];

/** RFC 9457 problem document as the backend writes it. */
export type Problem = Defs['Problem'];

export interface ListParams {
  q?: string;
  sort?: string;
  order?: 'asc' | 'desc';
  page?: number;
  page_size?: number;
  cursor?: string;
  [filter: string]: string | number | undefined;
}

/** A page of any list resource: every list.Page-* definition has this shape. */
export type ListResponse<T> = Omit<Defs['list.Page-User'], 'items'> & { items: T[] };

export type BulkResultItem = Defs['BulkResult'];
export type BulkResult = Defs['BulkResponse'];

export type User = Defs['User'];
export type UserCreate = Defs['UserInput'];
export type UserUpdate = Defs['UserPatch'];

export type GroupRef = Defs['GroupRef'];
export type Me = Defs['Me'];

export type Group = Defs['Group'];
export type GroupCreate = Defs['GroupInput'];
export type GroupUpdate = Defs['GroupPatch'];

export type PermissionInfo = Defs['PermissionInfo'];

export type UserType = Defs['UserType'];
export type UserTypeCreate = Defs['UserTypeInput'];
export type UserTypeUpdate = Defs['UserTypePatch'];

export type Licence = Defs['Licence'];
export type AccessType = Licence['access_type'];

export type Attribute = Defs['Attribute'];
export type AttributeType = Attribute['type'];
export type AttributeCreate = Defs['AttributeInput'];
export type AttributeUpdate = Defs['AttributePatch'];

export type ActorType = 'user' | 'token' | 'system' | 'anonymous';

/** The diff of an audit event: the resource before and after the change, secrets redacted. */
export interface AuditDiffBody {
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** AuditEvent; the API types diff as a free-form object, the SPA reads its two halves. */
export type AuditEvent = Omit<Defs['AuditEvent'], 'diff'> & { diff: AuditDiffBody | null };

export type AuditVerifyResult = Defs['AuditVerification'];

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

export const AUDIT_RESOURCE_TYPES = ['provider', 'user', 'group', 'user_type', 'attribute', 'licence', 'session', 'api_token', 'personal_token', 'system', 'system_certificate'] as const;
