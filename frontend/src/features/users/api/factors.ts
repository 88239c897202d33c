// A user's second factors on the user card: status, policy standing, and the reset.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { definitions } from '../../../api/schema';
import { http } from '../../../api/http';

export type UserFactorStatus = definitions['FactorStatus'];

const key = (userId: string) => ['user-factors', userId] as const;
const path = (userId: string) => `/users/${encodeURIComponent(userId)}/factors`;

/** useUserFactors reads GET /users/{id}/factors. */
export function useUserFactors(userId: string) {
  return useQuery({ queryKey: key(userId), queryFn: ({ signal }) => http.get<UserFactorStatus>(path(userId), { signal }) });
}

/** useResetUserFactors removes a user's factors and ends their sessions (POST /users/{id}/factors/reset). */
export function useResetUserFactors(userId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => http.post<{ sessions_ended: number }>(`${path(userId)}/reset`),
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: key(userId) }),
        qc.invalidateQueries({ queryKey: ['user-sessions', userId] }),
        qc.invalidateQueries({ queryKey: ['audit'] }),
      ]),
  });
}
