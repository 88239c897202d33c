// Token shapes: aliases of the generated schema (api/swagger.json), so the SPA and the
// API cannot drift.
import type { definitions } from '../../../api/schema';

type Defs = definitions;

/** ApiToken is a token as the API shows it: never its secret. */
export type ApiToken = Defs['ApiToken'];

/** CreatedApiToken is the answer to a create: the token plus, once, its whole value. */
export type CreatedApiToken = Defs['CreatedApiToken'];

export type ApiTokenCreate = Defs['ApiTokenInput'];
export type ApiTokenUpdate = Defs['ApiTokenPatch'];

export type TokenKind = ApiToken['kind'];
export type TokenStatus = ApiToken['status'];

/** EXPIRING_SOON_DAYS: an active token expiring within this many days gets a warning badge. */
export const EXPIRING_SOON_DAYS = 7;
