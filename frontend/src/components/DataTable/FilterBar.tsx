// The filter block: select/text/period filters, Clear filters (only while filtered) and the search box.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Button from 'antd/es/button';
import DatePicker from 'antd/es/date-picker';
import Input from 'antd/es/input';
import Select from 'antd/es/select';
import Space from 'antd/es/space';
import dayjs, { type Dayjs } from 'dayjs';
import { TID, filterTestId } from '../../testids';
import type { FilterDef } from './types';
import type { TableUrlApi } from './useTableUrlState';

const SEARCH_DEBOUNCE_MS = 350;

interface FilterBarProps {
  filters: readonly FilterDef[];
  table: TableUrlApi;
  searchPlaceholder?: string;
  showSearch?: boolean;
}

export function FilterBar({ filters, table, searchPlaceholder, showSearch = true }: FilterBarProps) {
  const { t } = useTranslation();
  const { state } = table;
  return (
    <Space wrap size="middle" className="custos-filterbar" style={{ marginBottom: 16, width: '100%' }}>
      {filters.map((f) => {
        if (f.type === 'select') {
          return (
            <Select
              key={f.key}
              data-testid={filterTestId(f.key)}
              aria-label={f.label}
              title={f.label}
              style={{ minWidth: 200 }}
              value={state.filters[f.key] ?? ''}
              options={[{ value: '', label: f.allLabel }, ...f.options]}
              onChange={(v: string) => table.setFilter(f.key, v || undefined)}
              popupMatchSelectWidth={false}
            />
          );
        }
        if (f.type === 'text') {
          return <TextFilter key={f.key} label={f.label} testId={filterTestId(f.key)} value={state.filters[f.key] ?? ''} onChange={(v) => table.setFilter(f.key, v || undefined)} />;
        }
        const from = state.filters[f.fromKey];
        const to = state.filters[f.toKey];
        return (
          <DatePicker.RangePicker
            key={f.key}
            data-testid={filterTestId(f.key)}
            aria-label={f.label}
            showTime
            allowEmpty={[true, true]}
            value={[from ? dayjs(from) : null, to ? dayjs(to) : null]}
            onChange={(vals) => {
              const [a, b] = (vals ?? [null, null]) as [Dayjs | null, Dayjs | null];
              table.setFilters({
                [f.fromKey]: a ? a.toISOString() : undefined,
                [f.toKey]: b ? b.toISOString() : undefined,
              });
            }}
          />
        );
      })}
      {table.hasFilters && (
        <Button data-testid={TID.tableClearFilters} onClick={table.clearFilters}>
          {t('table.clearFilters')}
        </Button>
      )}
      {showSearch && (
        <SearchBox value={state.q} placeholder={searchPlaceholder ?? t('table.search')} onChange={table.setQuery} />
      )}
    </Space>
  );
}

/** useDebouncedInput keeps a local value in step with the URL and reports it after a pause. */
function useDebouncedInput(value: string, onChange: (v: string) => void) {
  const [local, setLocal] = useState(value);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const cb = useRef(onChange);
  cb.current = onChange;
  useEffect(() => setLocal(value), [value]);
  useEffect(() => () => clearTimeout(timer.current), []);
  const change = (v: string, immediate = false) => {
    setLocal(v);
    clearTimeout(timer.current);
    if (immediate) cb.current(v);
    else timer.current = setTimeout(() => cb.current(v), SEARCH_DEBOUNCE_MS);
  };
  return [local, change] as const;
}

function SearchBox({ value, placeholder, onChange }: { value: string; placeholder: string; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  const [local, change] = useDebouncedInput(value, onChange);
  return (
    <Input.Search
      data-testid={TID.tableSearch}
      aria-label={t('table.search')}
      placeholder={placeholder}
      allowClear
      style={{ width: 280 }}
      value={local}
      onChange={(e) => change(e.target.value, e.type !== 'change')}
      onSearch={(v) => change(v, true)}
    />
  );
}

function TextFilter({ label, testId, value, onChange }: { label: string; testId: string; value: string; onChange: (v: string) => void }) {
  const [local, change] = useDebouncedInput(value, onChange);
  return (
    <Input
      data-testid={testId}
      aria-label={label}
      placeholder={label}
      allowClear
      style={{ width: 200 }}
      value={local}
      onChange={(e) => change(e.target.value, e.type !== 'change')}
    />
  );
}
