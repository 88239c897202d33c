// Table state (q, filters, sort, order, page, page_size, cursor) kept in the URL
// search params, so a view can be bookmarked, shared and restored on reload. A page with
// more than one table (a tab beside another) gives each a prefix: `wh_page`, `wh_sort`.
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { ListParams } from '../../api/types';
import { DEFAULT_PAGE_SIZE, PAGE_SIZES, type SortOrder, type TableUrlState } from './types';

const RESET_ON_CHANGE = ['page', 'cursor'];

function parsePositiveInt(v: string | null, fallback: number): number {
  if (!v || !/^\d+$/.test(v)) return fallback;
  const n = Number(v);
  return n >= 1 ? n : fallback;
}

export function parseTableState(sp: URLSearchParams, filterKeys: readonly string[], prefix = ''): TableUrlState {
  const get = (k: string) => sp.get(prefix + k);
  const size = parsePositiveInt(get('page_size'), DEFAULT_PAGE_SIZE);
  const order = get('order');
  const sort = get('sort') || undefined;
  const filters: Record<string, string> = {};
  for (const k of filterKeys) {
    const v = get(k);
    if (v) filters[k] = v;
  }
  return {
    q: get('q') ?? '',
    sort,
    order: sort ? (order === 'desc' ? 'desc' : 'asc') : undefined,
    page: parsePositiveInt(get('page'), 1),
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_PAGE_SIZE,
    cursor: get('cursor') || undefined,
    filters,
  };
}

/** toListParams turns the table state into the list endpoint's query. */
export function toListParams(s: TableUrlState): ListParams {
  const p: ListParams = { page: s.page, page_size: s.pageSize, ...s.filters };
  if (s.q) p.q = s.q;
  if (s.sort) {
    p.sort = s.sort;
    p.order = s.order ?? 'asc';
  }
  if (s.cursor) p.cursor = s.cursor;
  return p;
}

export interface TableUrlApi {
  state: TableUrlState;
  params: ListParams;
  hasFilters: boolean;
  setQuery: (q: string) => void;
  setFilter: (key: string, value: string | undefined) => void;
  setFilters: (values: Record<string, string | undefined>) => void;
  clearFilters: () => void;
  setSort: (field: string | undefined, order: SortOrder | undefined) => void;
  setPage: (page: number, cursor?: string) => void;
  setPageSize: (size: number) => void;
}

/** prefixed is a view of the params whose keys get the table's prefix. */
function prefixed(sp: URLSearchParams, prefix: string): URLSearchParams {
  if (!prefix) return sp;
  return {
    set: (k: string, v: string) => sp.set(prefix + k, v),
    delete: (k: string) => sp.delete(prefix + k),
  } as URLSearchParams;
}

export function useTableUrlState(filterKeys: readonly string[], { prefix = '' }: { prefix?: string } = {}): TableUrlApi {
  const [sp, setSp] = useSearchParams();
  const keysSig = filterKeys.join('|');
  const keys = useMemo(() => [...filterKeys], [keysSig]);
  const state = useMemo(() => parseTableState(sp, keys, prefix), [sp, keys, prefix]);
  const params = useMemo(() => toListParams(state), [state]);

  const update = useCallback(
    (mutate: (next: URLSearchParams) => void, opts?: { replace?: boolean; keepPage?: boolean }) => {
      setSp(
        (prev) => {
          const next = new URLSearchParams(prev);
          if (!opts?.keepPage) RESET_ON_CHANGE.forEach((k) => next.delete(prefix + k));
          mutate(prefixed(next, prefix));
          return next;
        },
        { replace: opts?.replace ?? false },
      );
    },
    [setSp, prefix],
  );

  const setOrDelete = (next: URLSearchParams, key: string, value: string | undefined) => {
    if (value) next.set(key, value);
    else next.delete(key);
  };

  return {
    state,
    params,
    hasFilters: state.q !== '' || Object.keys(state.filters).length > 0,
    setQuery: (q) => update((n) => setOrDelete(n, 'q', q.trim() ? q : undefined), { replace: true }),
    setFilter: (key, value) => update((n) => setOrDelete(n, key, value)),
    setFilters: (values) => update((n) => Object.entries(values).forEach(([k, v]) => setOrDelete(n, k, v))),
    clearFilters: () =>
      update((n) => {
        n.delete('q');
        keys.forEach((k) => n.delete(k));
      }),
    setSort: (field, order) =>
      update((n) => {
        if (field && order) {
          n.set('sort', field);
          n.set('order', order);
        } else {
          n.delete('sort');
          n.delete('order');
        }
      }),
    setPage: (page, cursor) =>
      update(
        (n) => {
          if (page > 1) n.set('page', String(page));
          else n.delete('page');
          setOrDelete(n, 'cursor', cursor);
        },
        { keepPage: true },
      ),
    setPageSize: (size) =>
      update((n) => {
        if (size === DEFAULT_PAGE_SIZE) n.delete('page_size');
        else n.set('page_size', String(size));
      }),
  };
}
