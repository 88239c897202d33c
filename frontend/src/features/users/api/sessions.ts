// A user's open browser sessions, as the user card shows them, and "End sessions".
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { definitions } from '../../../api/schema';
import { http } from '../../../api/http';
import type { ListResponse } from '../../../api/types';

export type UserSession = definitions['Session'];
export type SessionsEnded = definitions['SessionsEnded'];

export const userSessionsKey = (userId: string) => ['user-sessions', userId] as const;

const path = (userId: string) => `/users/${encodeURIComponent(userId)}/sessions`;

/** useUserSessions lists the open sessions of a user, most recently active first. */
export function useUserSessions(userId: string) {
  return useQuery({
    queryKey: userSessionsKey(userId),
    queryFn: ({ signal }) =>
      http.get<ListResponse<UserSession>>(path(userId), { query: { sort: 'last_seen_at', order: 'desc', page_size: 200 }, signal }),
  });
}

/** useEndUserSessions ends every session of a user (POST /users/{id}/sessions/end). */
export function useEndUserSessions(userId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => http.post<SessionsEnded>(`${path(userId)}/end`),
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: userSessionsKey(userId) }), qc.invalidateQueries({ queryKey: ['audit'] })]),
  });
}
