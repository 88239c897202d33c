// The choices of a select: the first 200 of a list resource in a fixed order, and a user
// search. One query key per resource ([resource, 'options', sort]), so every form that
// offers groups (or templates, or device types) shares one request and one cache entry, and
// a mutation of the resource (which invalidates [resource]) refreshes them all.
import { useQuery } from '@tanstack/react-query';
import { http } from './http';
import type { ListResponse } from './types';

/** OPTIONS_LIMIT: how many rows a select offers; larger sets are searched (see useUserSearch). */
export const OPTIONS_LIMIT = 200;

/** useOptions lists `/<resource>` (first 200 by `sort`, ascending) for a select. */
export function useOptions<T>(resource: string, sort = 'name') {
  return useQuery({
    queryKey: [resource, 'options', sort],
    queryFn: ({ signal }) => http.get<ListResponse<T>>(`/${resource}`, { query: { sort, order: 'asc', page_size: OPTIONS_LIMIT }, signal }),
    staleTime: 60_000,
  });
}

/** useUserSearch: the first 20 users matching q (by login), for a search select. */
export function useUserSearch<T>(q: string) {
  const query = { q: q || undefined, page_size: 20, sort: 'login', order: 'asc' as const };
  return useQuery({
    queryKey: ['users', 'list', query],
    queryFn: ({ signal }) => http.get<ListResponse<T>>('/users', { query, signal }),
    staleTime: 10_000,
  });
}
