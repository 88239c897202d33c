// Provider shapes: aliases of the generated schema (api/swagger.json), so the SPA and the
// API cannot drift.
import type { definitions } from '../../../api/schema';

type Defs = definitions;

export type ProviderType = Defs['Provider']['type'];

/** PROVIDER_TYPES in the order the UI offers them (the API's order). */
export const PROVIDER_TYPES: readonly ProviderType[] = ['local', 'oidc', 'oidc_token', 'oidc_cookie', 'ldap', 'ldap_kerberos', 'rest'];

export type ProviderParams = Defs['ProviderParams'];
export type ProviderParamsInput = Defs['ProviderParamsInput'];
export type MappingRule = Defs['ProviderMappingRule'];
export type Mapping = Defs['ProviderMapping'];

export type Provider = Defs['Provider'];

export type ProviderCreate = Defs['ProviderInput'];
export type ProviderUpdate = Defs['ProviderPatch'];

export type TestStep = Defs['ProviderTestStep'];
export type TestResult = Defs['ProviderTestResult'];

export type DryRunInput = Defs['ProviderDryRunInput'];
export type DryRunResult = Defs['ProviderDryRunResult'];

export type ImportItem = Defs['ProviderImportItem'];
export type ImportResult = Defs['ProviderImportResult'];
export type ImportResponse = Defs['ProviderImportResponse'];

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
