export { DataTable, type DataTableProps } from './DataTable';
export { useTableUrlState, parseTableState, toListParams, type TableUrlApi } from './useTableUrlState';
export { shownRange } from './TableFooter';
export * from './types';
export { useListPage, type ListPageOptions, type ListPageTableProps } from './useListPage';
