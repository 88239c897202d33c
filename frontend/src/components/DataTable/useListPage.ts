// The wiring every list page of a CRUD resource shares: table state in the URL, the list
// query, bulk delete for those who may write, and Add / open a row, each remembering the
// list view (filters, sort, page) so the form's Cancel and Delete come back to it.
import { useRef } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { usePermissions } from '../../api/auth';
import type { CrudHooks } from '../../api/crud';
import type { BulkResult, ListResponse, Permission } from '../../api/types';
import { filterParamKeys, type FilterDef } from './types';
import { useTableUrlState, type TableUrlApi } from './useTableUrlState';

export interface ListPageOptions<E extends { id: string }, C, U> {
  /** The resource's hooks (createCrudHooks). */
  resource: Pick<CrudHooks<E, C, U>, 'useList' | 'useBulkDelete'>;
  /** The list route, e.g. "/groups": Add opens `${path}/new`, a row `${path}/${id}`. */
  path: string;
  /** The permission that offers Add and Delete. */
  writePermission: Permission;
  filters?: FilterDef[];
  /** A readable name of a row for notifications and checkbox labels. */
  rowLabel: (row: E) => string;
}

/** The props of DataTable that useListPage fills in. */
export interface ListPageTableProps<E extends { id: string }> {
  table: TableUrlApi;
  filters?: FilterDef[];
  data?: ListResponse<E>;
  loading: boolean;
  error: unknown;
  rowLabel: (row: E) => string;
  onAdd?: () => void;
  onEdit: (id: string) => void;
  onBulkDelete?: (ids: string[]) => Promise<BulkResult>;
}

const NO_FILTERS: FilterDef[] = [];

export function useListPage<E extends { id: string }, C, U>(o: ListPageOptions<E, C, U>) {
  const navigate = useNavigate();
  const location = useLocation();
  const canWrite = usePermissions().has(o.writePermission);
  const filters = o.filters ?? NO_FILTERS;
  const table = useTableUrlState(filterParamKeys(filters));
  const list = o.resource.useList(table.params);
  const bulkDelete = o.resource.useBulkDelete();
  // Names of every row seen, for reports on a selection that spans pages.
  const names = useRef(new Map<string, string>());
  (list.data?.items ?? []).forEach((r) => names.current.set(r.id, o.rowLabel(r)));

  const back = { state: { back: location.search } };
  const tableProps: ListPageTableProps<E> = {
    table,
    filters: o.filters,
    data: list.data,
    loading: list.isFetching,
    error: list.error,
    rowLabel: o.rowLabel,
    onAdd: canWrite ? () => navigate(`${o.path}/new`, back) : undefined,
    onEdit: (id) => navigate(`${o.path}/${id}`, back),
    onBulkDelete: canWrite ? (ids) => bulkDelete.mutateAsync(ids) : undefined,
  };
  return {
    canWrite,
    table,
    list,
    /** labelOf names a row seen on any page (its id when never seen). */
    labelOf: (id: string) => names.current.get(id) ?? id,
    tableProps,
  };
}
