// Providers API and hooks. A change to a provider also changes the audit history,
// so that is invalidated too. The form's option lists (groups, user types, the access
// schema, the licence) are read here rather than through another feature.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createCrudHooks, crudApi } from '../../../api/crud';
import { http } from '../../../api/http';
import { useOptions } from '../../../api/options';
import type { BulkResult } from '../../../api/types';
import type {
  DryRunInput,
  DryRunResult,
  ImportItem,
  ImportResponse,
  Option,
  Provider,
  ProviderCreate,
  ProviderUpdate,
  SchemaAttribute,
  TestResult,
} from './types';

export const providersApi = crudApi<Provider, ProviderCreate, ProviderUpdate>('/providers');
export const providers = createCrudHooks('providers', providersApi, ['audit']);

const path = (id: string, op: string) => `/providers/${encodeURIComponent(id)}/${op}`;

function useInvalidateProviders() {
  const qc = useQueryClient();
  return () => Promise.all([qc.invalidateQueries({ queryKey: ['providers'] }), qc.invalidateQueries({ queryKey: ['audit'] })]);
}

/** useBulkSetActive activates or deactivates several providers; the answer reports each id. */
export function useBulkSetActive() {
  const invalidate = useInvalidateProviders();
  return useMutation({
    mutationFn: ({ ids, active }: { ids: string[]; active: boolean }) =>
      http.post<BulkResult>(active ? '/providers/bulk-activate' : '/providers/bulk-deactivate', active ? { ids, active } : { ids }),
    onSettled: invalidate,
  });
}

/** useTestConnection runs the step-by-step connection test of a saved provider. */
export function useTestConnection() {
  return useMutation({ mutationFn: (id: string) => http.post<TestResult>(path(id, 'test')) });
}

/** useDryRun maps a sample (claims, an ID token or an LDAP login) without saving anything. */
export function useDryRun() {
  return useMutation({ mutationFn: ({ id, body }: { id: string; body: DryRunInput }) => http.post<DryRunResult>(path(id, 'dry-run'), body) });
}

/** exportProviders fetches the export (all providers when ids is empty). */
export function exportProviders(ids: string[]): Promise<unknown[]> {
  return http.get<unknown[]>('/providers/export', { query: { ids: ids.length ? ids.join(',') : undefined } });
}

/** useImport previews (dryRun) or applies an import. */
export function useImport() {
  const invalidate = useInvalidateProviders();
  return useMutation({
    mutationFn: ({ items, dryRun }: { items: ImportItem[]; dryRun: boolean }) =>
      http.post<ImportResponse>('/providers/import', items, { query: { dry_run: dryRun } }),
    onSuccess: async (r) => {
      if (!r.dry_run) await invalidate();
    },
  });
}

/** useGroupOptions: system and custom groups for Base groups (first 200 by name). */
export const useGroupOptions = () => useOptions<Option>('groups', 'name');
/** useUserTypeOptions: the user types for new users (first 200 by name). */
export const useUserTypeOptions = () => useOptions<Option>('user-types', 'name');
/** useSchemaAttributes: the access-schema attributes the mapping tab lists (first 200 by code). */
export const useSchemaAttributes = () => useOptions<SchemaAttribute>('attributes', 'code');

/** useLicenceAccessType: on_premise or cloud; creation of users is locked under cloud. */
export function useLicenceAccessType() {
  return useQuery({
    queryKey: ['licence'],
    queryFn: ({ signal }) => http.get<{ access_type: 'on_premise' | 'cloud' }>('/settings/licence', { signal }),
    staleTime: 60_000,
    select: (l) => l.access_type,
  });
}
