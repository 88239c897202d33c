import { useQuery } from '@tanstack/react-query';
import { createCrudHooks, crudApi } from '../../../api/crud';
import { http } from '../../../api/http';
import type { Group, GroupCreate, GroupUpdate, PermissionInfo } from '../../../api/types';

export const groupsApi = crudApi<Group, GroupCreate, GroupUpdate>('/groups');
export const groups = createCrudHooks('groups', groupsApi, ['audit', 'users']);

/** usePermissionCatalogue: every permission the server knows (GET /permissions). */
export function usePermissionCatalogue() {
  return useQuery({
    queryKey: ['permissions'],
    queryFn: ({ signal }) => http.get<PermissionInfo[]>('/permissions', { signal }),
    staleTime: Infinity,
  });
}
