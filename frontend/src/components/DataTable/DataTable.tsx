// THE list component (SPEC §4.1): title + Add, filter block, 3-state server-side sort on
// every column, paging footer, row selection with a bulk bar, row action menu, double-click
// to edit. All view state lives in the URL through useTableUrlState.
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Table from 'antd/es/table';
import type { CheckboxProps, TableProps } from 'antd';
import type { ColumnsType, SorterResult } from 'antd/es/table/interface';
import { PlusOutlined } from '@ant-design/icons';
import { TID } from '../../testids';
import { errorMessage } from '../../lib/errors';
import type { BulkResult, ListResponse } from '../../api/types';
import { PageHeader } from '../PageHeader';
import { ConfirmDialog } from '../ConfirmDialog';
import { BulkBar } from './BulkBar';
import { FilterBar } from './FilterBar';
import { RowActions } from './RowActions';
import { TableFooter } from './TableFooter';
import { useBulkDelete } from './useBulkDelete';
import type { DataTableColumn, FilterDef } from './types';
import type { TableUrlApi } from './useTableUrlState';

export interface DataTableProps<T extends { id: string }> {
  title: ReactNode;
  table: TableUrlApi;
  columns: DataTableColumn<T>[];
  filters?: readonly FilterDef[];
  data?: ListResponse<T>;
  loading?: boolean;
  error?: unknown;
  addLabel?: string;
  onAdd?: () => void;
  onEdit?: (id: string) => void;
  onBulkDelete?: (ids: string[]) => Promise<BulkResult>;
  /** Explains why a row may not be deleted (its Delete action is disabled). */
  deleteDisabledReason?: (row: T) => string | undefined;
  /** A readable name of a row for notifications and checkbox labels. */
  rowLabel?: (row: T) => string;
  searchPlaceholder?: string;
  showSearch?: boolean;
  expandable?: TableProps<T>['expandable'];
  headerExtra?: ReactNode;
  /** More to say in the delete confirmation of these rows (row menu and bulk bar alike). */
  deleteConfirmExtra?: (ids: string[]) => ReactNode;
  /** More actions on the selection (e.g. activate, export), shown in the bulk bar after Delete. */
  bulkExtra?: (selectedIds: string[], resetSelection: () => void) => ReactNode;
}

export function DataTable<T extends { id: string }>(props: DataTableProps<T>) {
  const { t } = useTranslation();
  const { table, data, onEdit, onBulkDelete } = props;
  const { state } = table;
  const [selected, setSelected] = useState<string[]>([]);
  const labels = useRef(new Map<string, string>());
  const items = useMemo(() => data?.items ?? [], [data]);
  const rowLabel = props.rowLabel ?? ((r: T) => r.id);
  items.forEach((r) => labels.current.set(r.id, rowLabel(r)));

  const bulk = useBulkDelete({
    onBulkDelete,
    labelOf: (id) => labels.current.get(id) ?? id,
    onDeleted: (ids) => setSelected((s) => s.filter((id) => !ids.includes(id))),
  });

  // A page emptied by deletes (or a stale bookmark) moves to the last page that has rows.
  useEffect(() => {
    if (data && data.items.length === 0 && data.total > 0 && state.page > 1) {
      const last = Math.max(1, Math.ceil(data.total / state.pageSize));
      if (last !== state.page) table.setPage(last);
    }
  }, [data, state.page, state.pageSize, table]);

  const selectable = !!(onEdit || onBulkDelete);
  const columns: ColumnsType<T> = props.columns.map((c) => ({
    key: c.key,
    dataIndex: c.key,
    title: c.title,
    width: c.width,
    ellipsis: c.ellipsis,
    sorter: c.sortable !== false,
    sortDirections: ['ascend', 'descend'],
    sortOrder: c.sortable !== false && state.sort === c.key ? (state.order === 'desc' ? 'descend' : 'ascend') : null,
    render: c.render ? (_: unknown, row: T) => c.render?.(row) : undefined,
  }));
  if (selectable) {
    columns.push({
      key: '__actions',
      width: 56,
      align: 'center',
      render: (_: unknown, row: T) => (
        <RowActions
          onEdit={onEdit ? () => onEdit(row.id) : undefined}
          onDelete={onBulkDelete ? () => bulk.request([row.id]) : undefined}
          deleteDisabledReason={props.deleteDisabledReason?.(row)}
        />
      ),
    });
  }

  const onChange: TableProps<T>['onChange'] = (_p, _f, sorter, extra) => {
    if (extra.action !== 'sort') return;
    const s = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<T> | undefined;
    const order = s?.order === 'ascend' ? 'asc' : s?.order === 'descend' ? 'desc' : undefined;
    table.setSort(order && s?.columnKey != null ? String(s.columnKey) : undefined, order);
  };

  const goToPage = (page: number) => {
    if (page === state.page + 1 && data?.next_cursor) table.setPage(page, data.next_cursor);
    else if (page === state.page - 1 && data?.prev_cursor) table.setPage(page, data.prev_cursor);
    else table.setPage(page);
  };

  return (
    <div className="custos-datatable" data-testid={TID.dataTable}>
      <PageHeader
        title={props.title}
        extra={
          <>
            {props.headerExtra}
            {props.onAdd && (
              <Button type="primary" icon={<PlusOutlined />} data-testid={TID.tableAdd} onClick={props.onAdd}>
                {props.addLabel ?? t('common.add')}
              </Button>
            )}
          </>
        }
      />
      <FilterBar filters={props.filters ?? []} table={table} searchPlaceholder={props.searchPlaceholder} showSearch={props.showSearch} />
      {props.error != null && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={errorMessage(t, props.error)} />}
      <BulkBar
        count={selected.length}
        onEdit={onEdit ? () => selected[0] && onEdit(selected[0]) : undefined}
        onDelete={onBulkDelete ? () => bulk.request(selected) : undefined}
        onReset={() => setSelected([])}
        extra={props.bulkExtra?.(selected, () => setSelected([]))}
      />
      <Table<T>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={items}
        loading={props.loading}
        pagination={false}
        onChange={onChange}
        scroll={{ x: 'max-content' }}
        expandable={props.expandable}
        onRow={(row) => ({ onDoubleClick: onEdit ? () => onEdit(row.id) : undefined })}
        rowSelection={
          selectable
            ? {
                selectedRowKeys: selected,
                preserveSelectedRowKeys: true,
                onChange: (keys) => setSelected(keys.map(String)),
                // aria-label reaches the <input> at run time; antd's type does not list it.
                getCheckboxProps: (row) => ({ 'aria-label': t('table.selectRow', { name: rowLabel(row) }) }) as CheckboxProps,
              }
            : undefined
        }
      />
      <TableFooter
        page={state.page}
        pageSize={state.pageSize}
        total={data?.total ?? 0}
        totalCapped={!!data?.total_capped}
        totalEstimated={!!data?.total_estimated}
        itemCount={items.length}
        onPageChange={goToPage}
        onPageSizeChange={table.setPageSize}
      />
      <ConfirmDialog
        open={bulk.pending !== null}
        testId={TID.deleteConfirm}
        title={t('table.deleteConfirmTitle')}
        loading={bulk.busy}
        onConfirm={() => void bulk.confirm()}
        onCancel={bulk.cancel}
      >
        {t('table.deleteConfirmText', { count: bulk.pending?.length ?? 0 })}
        {bulk.pending && props.deleteConfirmExtra?.(bulk.pending)}
      </ConfirmDialog>
    </div>
  );
}
