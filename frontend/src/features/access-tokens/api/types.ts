// Token shapes, taken from the generated schema (api/swagger.json) so the SPA and the
// API cannot drift. swag marks nothing as required; Full states what the server
// always writes, Nullable which fields may be null.
import type { definitions } from '../../../api/schema';

type Defs = definitions;
type Full<T, N extends keyof T = never> = { [K in Exclude<keyof T, N>]-?: Exclude<T[K], undefined> } & {
  [K in N]-?: Exclude<T[K], undefined> | null;
};

type Nullable = 'expires_at' | 'revoked_at' | 'last_used_at' | 'owner_id' | 'created_by_id' | 'created_by_token_id';

/** ApiToken is a token as the API shows it: never its secret. */
export type ApiToken = Full<Defs['ApiToken'], Nullable>;

/** CreatedApiToken is the answer to a create: the token plus, once, its whole value. */
export type CreatedApiToken = Full<Defs['CreatedApiToken'], Nullable>;

export type ApiTokenCreate = { name: string; scopes: string[]; expires_at?: string | null };
export type ApiTokenUpdate = Defs['ApiTokenPatch'] & { version: number };

export type TokenKind = ApiToken['kind'];
export type TokenStatus = ApiToken['status'];

/** EXPIRING_SOON_DAYS: an active token expiring within this many days gets a warning badge. */
export const EXPIRING_SOON_DAYS = 7;
