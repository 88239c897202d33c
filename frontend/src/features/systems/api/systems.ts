// Systems API and hooks: the CRUD resource, each system's certificates (list, the three ways
// in, enable/disable, revoke), and the lookups its form needs (groups, the permission
// catalogue). Every change also touches the audit log, so that is invalidated too.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createCrudHooks, crudApi } from '../../../api/crud';
import { http } from '../../../api/http';
import { useOptions } from '../../../api/options';
import type { Group, ListParams, ListResponse, PermissionInfo } from '../../../api/types';
import type { Certificate, CertificateInput, IssuedCertificate, RevocationReason, System, SystemInput, SystemPatch } from './types';

export const systemsApi = crudApi<System, SystemInput, SystemPatch>('/systems');
export const systems = createCrudHooks('systems', systemsApi, ['audit']);

const certPath = (systemId: string) => `/systems/${encodeURIComponent(systemId)}/certificates`;

function useInvalidate() {
  const qc = useQueryClient();
  return () => Promise.all([qc.invalidateQueries({ queryKey: ['systems'] }), qc.invalidateQueries({ queryKey: ['audit'] })]);
}

/** useCertificates lists one system's certificates (list conventions). */
export function useCertificates(systemId: string, params: ListParams) {
  return useQuery({
    queryKey: ['systems', 'certificates', systemId, params],
    queryFn: ({ signal }) => http.get<ListResponse<Certificate>>(certPath(systemId), { query: params, signal }),
    placeholderData: keepPreviousData,
  });
}

/**
 * useAddCertificate issues or adds a certificate. A p12 answer carries the key bundle once:
 * it goes to the caller only and never into the query cache.
 */
export function useAddCertificate(systemId: string) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: CertificateInput) => http.post<IssuedCertificate>(certPath(systemId), body), onSuccess: invalidate });
}

/** useSetCertificateEnabled switches a certificate on or off (PATCH with its version). */
export function useSetCertificateEnabled(systemId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ cert, enabled }: { cert: Certificate; enabled: boolean }) =>
      http.patch<Certificate>(`${certPath(systemId)}/${encodeURIComponent(cert.id)}`, { enabled, version: cert.version }),
    onSettled: invalidate,
  });
}

export function useRevokeCertificate(systemId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: RevocationReason }) =>
      http.post<Certificate>(`${certPath(systemId)}/${encodeURIComponent(id)}/revoke`, { reason }),
    onSuccess: invalidate,
  });
}

/** useGroupOptions: every group, for the owner group select and the list's group names. */
export const useGroupOptions = () => useOptions<Group>('groups');

/** usePermissionCatalogue: every permission the server knows (GET /permissions). */
export function usePermissionCatalogue() {
  return useQuery({
    queryKey: ['permissions'],
    queryFn: ({ signal }) => http.get<PermissionInfo[]>('/permissions', { signal }),
    staleTime: Infinity,
  });
}
