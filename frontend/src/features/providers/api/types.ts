// Provider shapes, taken from the generated schema (api/swagger.json) so the SPA and
// the API cannot drift. swag marks nothing as required; Full states what the server
// always writes.
import type { definitions } from '../../../api/schema';
import type { FieldError } from '../../../api/types';

type Defs = definitions;
type Full<T, O extends keyof T = never> = { [K in Exclude<keyof T, O>]-?: Exclude<T[K], undefined> } & {
  [K in O]?: Exclude<T[K], undefined>;
};

export type ProviderType = Full<Defs['Provider']>['type'];

/** PROVIDER_TYPES in the order the UI offers them (the API's order). */
export const PROVIDER_TYPES: readonly ProviderType[] = ['local', 'oidc', 'oidc_token', 'oidc_cookie', 'ldap', 'ldap_kerberos', 'rest'];

export type ProviderParams = Defs['ProviderParams'];
export type ProviderParamsInput = Defs['ProviderParamsInput'];
export type MappingRule = Full<Defs['ProviderMappingRule']>;
export type Mapping = Omit<Full<Defs['ProviderMapping']>, 'rules'> & { rules: MappingRule[] };

export type Provider = Omit<Full<Defs['Provider'], 'users_count' | 'user_type_id'>, 'mappings' | 'params' | 'user_type_id'> & {
  user_type_id?: string | null;
  params: ProviderParams;
  mappings: Mapping[];
};

export type ProviderCreate = Defs['ProviderInput'];
export type ProviderUpdate = Defs['ProviderPatch'] & { version: number };

export type TestStep = Full<Defs['ProviderTestStep'], 'message'>;
export interface TestResult {
  ok: boolean;
  steps: TestStep[];
}

export type DryRunInput = Defs['ProviderDryRunInput'];
export type DryRunResult = Omit<Defs['ProviderDryRunResult'], 'steps'> & { steps?: TestStep[] };

export type ImportItem = Defs['ProviderImportItem'];
export type ImportResult = Omit<Full<Defs['ProviderImportResult'], 'id' | 'changes' | 'code' | 'message'>, 'errors'> & {
  errors?: FieldError[];
};
export interface ImportResponse {
  dry_run: boolean;
  results: ImportResult[];
}

/** Directory entities the form offers (only the fields it reads). */
export interface Option {
  id: string;
  code: string;
  name: string;
}
export interface SchemaAttribute {
  id: string;
  code: string;
  name: string;
  type: 'string' | 'list';
}
