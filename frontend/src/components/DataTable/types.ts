import type { ReactNode } from 'react';

export const PAGE_SIZES = [10, 20, 50, 100, 200] as const;
export const DEFAULT_PAGE_SIZE = 20;
/** The server counts up to this many rows ("10,000+" beyond, list.CountCap). */
export const COUNT_CAP = 10000;

export interface FilterOption {
  value: string;
  label: string;
}

/** A select filter: one URL param, with an "all" option that removes it. */
export interface SelectFilterDef {
  type: 'select';
  key: string;
  label: string;
  allLabel: string;
  options: FilterOption[];
}

/** A free-text filter (e.g. actor): one URL param. */
export interface TextFilterDef {
  type: 'text';
  key: string;
  label: string;
}

/** A period filter: two URL params holding RFC 3339 times. */
export interface DateRangeFilterDef {
  type: 'dateRange';
  key: string;
  label: string;
  fromKey: string;
  toKey: string;
}

export type FilterDef = SelectFilterDef | TextFilterDef | DateRangeFilterDef;

/** filterParamKeys lists the URL params a set of filters owns. */
export function filterParamKeys(defs: readonly FilterDef[]): string[] {
  return defs.flatMap((d) => (d.type === 'dateRange' ? [d.fromKey, d.toKey] : [d.key]));
}

export interface DataTableColumn<T> {
  /** Column key; also the server's `sort` field when sortable. */
  key: string;
  title: ReactNode;
  /** Rendered cell; defaults to row[key]. */
  render?: (row: T) => ReactNode;
  /** Server-side sortable (3-state); default true. Set false only where the API has no such sort field. */
  sortable?: boolean;
  width?: number | string;
  ellipsis?: boolean;
}

export type SortOrder = 'asc' | 'desc';

export interface TableUrlState {
  q: string;
  sort?: string;
  order?: SortOrder;
  page: number;
  pageSize: number;
  cursor?: string;
  filters: Record<string, string>;
}
