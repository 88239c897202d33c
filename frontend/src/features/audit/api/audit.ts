import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { http } from '../../../api/http';
import type { AuditEvent, AuditVerifyResult, ListParams, ListResponse } from '../../../api/types';

export function useAuditList(params: ListParams) {
  return useQuery({
    queryKey: ['audit', 'list', params],
    queryFn: ({ signal }) => http.get<ListResponse<AuditEvent>>('/audit', { query: params, signal }),
    placeholderData: keepPreviousData,
  });
}

/** useVerifyChain checks the hash chain of the audit log (GET /audit/verify). */
export function useVerifyChain() {
  return useMutation({ mutationFn: () => http.get<AuditVerifyResult>('/audit/verify') });
}
