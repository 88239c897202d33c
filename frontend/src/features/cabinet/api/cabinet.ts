// The client cabinet API: the caller's own systems (GET/PATCH /cabinet/systems…), their
// statistics, certificates and CSR issuance. Any other system's id answers 404.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { http } from '../../../api/http';
import type { ListParams, ListResponse } from '../../../api/types';
import type { StatsReport } from '../../../components/stats';
import type { CabinetCertificate, CabinetCertificateInput, CabinetPatch, CabinetSystem, CabinetSystems, IssuedCabinetCertificate } from './types';

const base = '/cabinet/systems';
const one = (id: string) => `${base}/${encodeURIComponent(id)}`;

export const cabinetKeys = {
  all: ['cabinet'] as const,
  list: () => ['cabinet', 'systems'] as const,
  one: (id: string) => ['cabinet', 'systems', id] as const,
  certificates: (id: string, params: ListParams) => ['cabinet', 'systems', id, 'certificates', params] as const,
  stats: (id: string) => ['cabinet', 'systems', id, 'stats'] as const,
};

export function useCabinetSystems() {
  return useQuery({
    queryKey: cabinetKeys.list(),
    queryFn: ({ signal }) => http.get<CabinetSystems>(base, { signal }),
  });
}

export function useCabinetSystem(id: string) {
  return useQuery({ queryKey: cabinetKeys.one(id), queryFn: ({ signal }) => http.get<CabinetSystem>(one(id), { signal }) });
}

/** fetchCabinetStats reads the system's day × status rows (the shared StatsView's fetch). */
export function fetchCabinetStats(id: string, range: { from: string; to: string }, signal: AbortSignal) {
  return http.get<StatsReport>(`${one(id)}/stats`, { query: range, signal });
}

export function useCabinetCertificates(id: string, params: ListParams) {
  return useQuery({
    queryKey: cabinetKeys.certificates(id, params),
    queryFn: ({ signal }) => http.get<ListResponse<CabinetCertificate>>(`${one(id)}/certificates`, { query: params, signal }),
    placeholderData: keepPreviousData,
  });
}

function useInvalidate() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: cabinetKeys.all });
}

/** usePatchCabinetSystem saves the parameters the administrator made editable, with the version read. */
export function usePatchCabinetSystem(id: string) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: CabinetPatch) => http.patch<CabinetSystem>(one(id), body), onSuccess: invalidate });
}

/** useIssueCabinetCertificate sends a CSR made in the browser; only the request leaves the page. */
export function useIssueCabinetCertificate(id: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: CabinetCertificateInput) => http.post<IssuedCabinetCertificate>(`${one(id)}/certificates`, body),
    onSuccess: invalidate,
  });
}
