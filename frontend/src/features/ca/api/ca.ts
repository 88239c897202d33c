// The certificate authority: what it is (GET /ca) and importing another one (POST /ca/import).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { http } from '../../../api/http';
import type { definitions } from '../../../api/schema';

/** CAInfo is the CA as GET /api/v1/ca shows it; CAImport what POST /ca/import takes. */
export type CAInfo = definitions['CAInfo'];
export type CAImport = definitions['CAImport'];

export const caKey = ['ca'] as const;

export function useCA() {
  return useQuery({ queryKey: caKey, queryFn: ({ signal }) => http.get<CAInfo>('/ca', { signal }) });
}

/** useImportCA replaces the CA; the key is write-only (never shown again). */
export function useImportCA() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CAImport) => http.post<CAInfo>('/ca/import', body),
    onSuccess: async (info) => {
      qc.setQueryData(caKey, info);
      await qc.invalidateQueries({ queryKey: ['audit'] });
    },
  });
}
