// A CRUD client and its TanStack Query hooks for one list resource. Features build theirs
// with createCrudHooks; every mutation invalidates the resource's queries (lists included).
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { http } from './http';
import type { BulkResult, ListParams, ListResponse } from './types';

export interface CrudApi<E, C, U> {
  list: (params: ListParams, signal?: AbortSignal) => Promise<ListResponse<E>>;
  get: (id: string, signal?: AbortSignal) => Promise<E>;
  create: (body: C) => Promise<E>;
  update: (id: string, body: U) => Promise<E>;
  remove: (id: string) => Promise<void>;
  bulkDelete: (ids: string[]) => Promise<BulkResult>;
}

export function crudApi<E, C, U>(path: string): CrudApi<E, C, U> {
  return {
    list: (params, signal) => http.get<ListResponse<E>>(path, { query: params, signal }),
    get: (id, signal) => http.get<E>(`${path}/${encodeURIComponent(id)}`, { signal }),
    create: (body) => http.post<E>(path, body),
    update: (id, body) => http.patch<E>(`${path}/${encodeURIComponent(id)}`, body),
    remove: (id) => http.delete<void>(`${path}/${encodeURIComponent(id)}`),
    bulkDelete: (ids) => http.post<BulkResult>(`${path}/bulk-delete`, { ids }),
  };
}

export function crudKeys(resource: string) {
  return {
    all: [resource] as const,
    lists: [resource, 'list'] as const,
    list: (params: ListParams) => [resource, 'list', params] as const,
    detail: (id: string) => [resource, 'detail', id] as const,
  };
}

/** CrudHooks is what createCrudHooks builds for one resource. */
export type CrudHooks<E extends { id: string }, C, U> = ReturnType<typeof createCrudHooks<E, C, U>>;

/**
 * createCrudHooks builds the query and mutation hooks of one resource. `related`
 * names other resources whose views a change here affects (e.g. audit history,
 * member counts), which are invalidated as well.
 */
export function createCrudHooks<E extends { id: string }, C, U>(resource: string, api: CrudApi<E, C, U>, related: string[] = []) {
  const keys = crudKeys(resource);

  function useInvalidate() {
    const qc = useQueryClient();
    // A removed entity's own detail query is left alone so it is not refetched into a 404.
    return async (removedId?: string) => {
      await Promise.all(
        [resource, ...related].map((r) =>
          qc.invalidateQueries({
            queryKey: [r],
            predicate: (q) => !(removedId && r === resource && q.queryKey[1] === 'detail' && q.queryKey[2] === removedId),
          }),
        ),
      );
    };
  }

  return {
    keys,
    api,
    useList(params: ListParams) {
      return useQuery({
        queryKey: keys.list(params),
        queryFn: ({ signal }) => api.list(params, signal),
        placeholderData: keepPreviousData,
      });
    },
    useOne(id: string | undefined) {
      return useQuery({
        queryKey: keys.detail(id ?? ''),
        queryFn: ({ signal }) => api.get(id as string, signal),
        enabled: !!id,
      });
    },
    useCreate() {
      const qc = useQueryClient();
      const invalidate = useInvalidate();
      return useMutation({
        mutationFn: (body: C) => api.create(body),
        onSuccess: async (e) => {
          qc.setQueryData(keys.detail(e.id), e);
          await invalidate();
        },
      });
    },
    useUpdate() {
      const qc = useQueryClient();
      const invalidate = useInvalidate();
      return useMutation({
        mutationFn: ({ id, body }: { id: string; body: U }) => api.update(id, body),
        onSuccess: async (e) => {
          qc.setQueryData(keys.detail(e.id), e);
          await invalidate();
        },
      });
    },
    useRemove() {
      const qc = useQueryClient();
      const invalidate = useInvalidate();
      return useMutation({
        mutationFn: (id: string) => api.remove(id),
        onSuccess: async (_r, id) => {
          await invalidate(id);
          qc.removeQueries({ queryKey: keys.detail(id) });
        },
      });
    },
    useBulkDelete() {
      const invalidate = useInvalidate();
      return useMutation({
        mutationFn: (ids: string[]) => api.bulkDelete(ids),
        onSettled: async () => {
          await invalidate();
        },
      });
    },
    /** useSetDetail puts a fresh entity (e.g. the `current` of a 409) into the cache. */
    useSetDetail() {
      const qc = useQueryClient();
      return (e: E) => qc.setQueryData(keys.detail(e.id), e);
    },
  };
}
