import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { http } from '../../../api/http';
import type { Licence } from '../../../api/types';

export const licenceKey = ['licence'] as const;

export function useLicence() {
  return useQuery({ queryKey: licenceKey, queryFn: ({ signal }) => http.get<Licence>('/settings/licence', { signal }) });
}

export function useSaveLicence() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Licence) => http.put<Licence>('/settings/licence', body),
    onSuccess: async (l) => {
      qc.setQueryData(licenceKey, l);
      await Promise.all([qc.invalidateQueries({ queryKey: licenceKey }), qc.invalidateQueries({ queryKey: ['audit'] })]);
    },
  });
}
