// The signed-in person's own sessions and password: sign out everywhere, and change the
// password (the server ends every other session; this one stays).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { definitions } from '../../../api/schema';
import { http } from '../../../api/http';

export type ChangePasswordInput = definitions['ChangePasswordInput'];
export type SessionsEnded = definitions['SessionsEnded'];

/** useLogoutAll ends every session of the caller, this one too (POST /auth/logout-all). */
export function useLogoutAll() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => http.post<SessionsEnded>('/auth/logout-all', undefined, { skipAuthRedirect: true }),
    onSettled: () => {
      qc.clear();
    },
  });
}

/** useChangePassword changes the caller's own password (POST /auth/password). */
export function useChangePassword() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: ChangePasswordInput) => http.post<void>('/auth/password', input),
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: ['audit'] }), qc.invalidateQueries({ queryKey: ['user-sessions'] })]),
  });
}
