// Users API and hooks. A change to a user also changes audit history, group member
// counts and user-type usage, so those are invalidated too.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createCrudHooks, crudApi } from '../../../api/crud';
import { http } from '../../../api/http';
import { useOptions } from '../../../api/options';
import type { Group, User, UserCreate, UserType, UserUpdate } from '../../../api/types';

export const usersApi = crudApi<User, UserCreate, UserUpdate>('/users');
export const users = createCrudHooks('users', usersApi, ['audit', 'groups', 'user-types']);

export function useSetPassword() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, password, revokeTokens }: { id: string; password: string; revokeTokens: boolean }) =>
      http.post<void>(`/users/${encodeURIComponent(id)}/password`, { password, revoke_tokens: revokeTokens }),
    // A reset ends the user's sessions and may revoke their personal tokens.
    onSuccess: (_r, { id }) =>
      Promise.all([
        qc.invalidateQueries({ queryKey: ['audit'] }),
        qc.invalidateQueries({ queryKey: ['user-sessions', id] }),
        qc.invalidateQueries({ queryKey: ['user-tokens', id] }),
      ]),
  });
}

/** useGroupOptions: the groups to choose from (first 200 by name). */
export const useGroupOptions = () => useOptions<Group>('groups');
/** useUserTypeOptions: the user types to choose from (first 200 by name). */
export const useUserTypeOptions = () => useOptions<UserType>('user-types');
