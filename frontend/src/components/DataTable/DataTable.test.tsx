import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { currentUrl, renderAt, setupUser } from '../../test/render';
import { TID } from '../../testids';
import type { BulkResult, ListParams, ListResponse } from '../../api/types';
import { DataTable } from './DataTable';
import { filterParamKeys, type DataTableColumn, type FilterDef } from './types';
import { useTableUrlState } from './useTableUrlState';
import i18n from '../../i18n';

interface Row {
  id: string;
  name: string;
  type: string;
}

const ROWS: Row[] = Array.from({ length: 45 }, (_, i) => ({
  id: `id-${i + 1}`,
  name: `Provider ${String(i + 1).padStart(2, '0')}`,
  type: i % 2 === 0 ? 'ldap' : 'oidc',
}));

/** fakeServer pages ROWS the way the API does, with cursors for the neighbouring pages. */
function fakeServer(
  params: ListParams,
  totalOverride?: { total: number; capped: boolean; estimated?: boolean },
): ListResponse<Row> {
  const page = Number(params.page ?? 1);
  const size = Number(params.page_size ?? 20);
  const rows = ROWS.filter((r) => !params.type || r.type === params.type);
  const items = rows.slice((page - 1) * size, page * size);
  return {
    items,
    total: totalOverride?.total ?? rows.length,
    total_capped: totalOverride?.capped ?? false,
    total_estimated: totalOverride?.estimated ?? false,
    page,
    page_size: size,
    next_cursor: `next-of-${page}`,
    prev_cursor: page > 1 ? `prev-of-${page}` : undefined,
  };
}

const filters: FilterDef[] = [
  {
    type: 'select',
    key: 'type',
    label: 'Type filter',
    allLabel: 'All types',
    options: [
      { value: 'ldap', label: 'LDAP' },
      { value: 'oidc', label: 'OpenID' },
    ],
  },
];

const columns: DataTableColumn<Row>[] = [
  { key: 'name', title: 'Name' },
  { key: 'type', title: 'Type' },
];

interface HarnessProps {
  onEdit?: (id: string) => void;
  onBulkDelete?: (ids: string[]) => Promise<BulkResult>;
  capped?: boolean;
  estimated?: number;
  seen?: ListParams[];
}

function Harness({ onEdit = () => {}, onBulkDelete, capped, estimated, seen }: HarnessProps) {
  const table = useTableUrlState(filterParamKeys(filters));
  seen?.push(table.params);
  const data = fakeServer(
    table.params,
    estimated ? { total: estimated, capped: false, estimated: true } : capped ? { total: 10000, capped: true } : undefined,
  );
  return (
    <DataTable<Row>
      title="Providers"
      table={table}
      filters={filters}
      columns={columns}
      data={data}
      rowLabel={(r) => r.name}
      onAdd={() => {}}
      onEdit={onEdit}
      onBulkDelete={onBulkDelete ?? (async (ids) => ({ results: ids.map((id) => ({ id, ok: true })) }))}
    />
  );
}

const header = (name: string) => screen.getByRole('columnheader', { name: new RegExp(`^${name}`) });

describe('DataTable', () => {
  it('cycles sort asc → desc → none, writing sort/order into the URL and then removing them', async () => {
    renderAt(<Harness />, { route: '/things' });
    expect(header('Name')).not.toHaveAttribute('aria-sort');

    fireEvent.click(header('Name'));
    await waitFor(() => expect(currentUrl().searchParams.get('sort')).toBe('name'));
    expect(currentUrl().searchParams.get('order')).toBe('asc');
    expect(header('Name')).toHaveAttribute('aria-sort', 'ascending');

    fireEvent.click(header('Name'));
    await waitFor(() => expect(currentUrl().searchParams.get('order')).toBe('desc'));
    expect(currentUrl().searchParams.get('sort')).toBe('name');
    expect(header('Name')).toHaveAttribute('aria-sort', 'descending');

    fireEvent.click(header('Name'));
    await waitFor(() => expect(currentUrl().searchParams.has('sort')).toBe(false));
    expect(currentUrl().searchParams.has('order')).toBe(false);
    expect(header('Name')).not.toHaveAttribute('aria-sort');
  });

  it('restores sort, filter, page and page size from the URL', () => {
    renderAt(<Harness />, { route: '/things?sort=type&order=desc&type=oidc&page=2&page_size=10' });
    expect(header('Type')).toHaveAttribute('aria-sort', 'descending');
    expect(screen.getByTestId(TID.tableShownRange)).toHaveTextContent('Shown 11–20 of 22');
    expect(screen.getByTestId(TID.tablePageSize)).toHaveTextContent('10 / page');
    expect(screen.getByText('Provider 22')).toBeInTheDocument();
  });

  it('shows Clear filters only while a filter or search is set, and clears them', async () => {
    const user = setupUser();
    renderAt(<Harness />, { route: '/things?type=ldap&sort=name&order=asc' });
    await user.click(screen.getByTestId(TID.tableClearFilters));
    await waitFor(() => expect(screen.queryByTestId(TID.tableClearFilters)).not.toBeInTheDocument());
    expect(currentUrl().searchParams.has('type')).toBe(false);
    // Sorting is not a filter and survives.
    expect(currentUrl().searchParams.get('sort')).toBe('name');

    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'Provider 1');
    await waitFor(() => expect(currentUrl().searchParams.get('q')).toBe('Provider 1'));
    expect(screen.getByTestId(TID.tableClearFilters)).toBeVisible();
    await user.click(screen.getByTestId(TID.tableClearFilters));
    await waitFor(() => expect(currentUrl().searchParams.has('q')).toBe(false));
    expect(screen.getByRole('searchbox', { name: 'Search' })).toHaveValue('');
    expect(screen.queryByTestId(TID.tableClearFilters)).not.toBeInTheDocument();
  });

  it('sets a select filter with an "all" option and resets the page', async () => {
    const user = setupUser();
    renderAt(<Harness />, { route: '/things?page=2' });
    const select = screen.getByRole('combobox', { name: 'Type filter' });
    expect(screen.getByTestId('filter-type')).toHaveTextContent('All types');
    await user.click(select);
    await user.click(await screen.findByTitle('OpenID'));
    await waitFor(() => expect(currentUrl().searchParams.get('type')).toBe('oidc'));
    expect(currentUrl().searchParams.has('page')).toBe(false);
    expect(screen.getByTestId(TID.tableClearFilters)).toBeInTheDocument();
  });

  it('shows the bulk bar on selection; Edit only with exactly one selected', async () => {
    const user = setupUser();
    const onEdit = vi.fn();
    renderAt(<Harness onEdit={onEdit} />, { route: '/things?page_size=10' });
    expect(screen.queryByTestId(TID.bulkBar)).not.toBeInTheDocument();

    await user.click(screen.getByRole('checkbox', { name: 'Select Provider 01' }));
    expect(screen.getByTestId(TID.bulkSelectedCount)).toHaveTextContent('Selected: 1');
    expect(screen.getByTestId(TID.bulkEdit)).toBeEnabled();

    await user.click(screen.getByRole('checkbox', { name: 'Select Provider 02' }));
    expect(screen.getByTestId(TID.bulkSelectedCount)).toHaveTextContent('Selected: 2');
    expect(screen.getByTestId(TID.bulkEdit)).toBeDisabled();

    await user.click(screen.getByRole('checkbox', { name: 'Select Provider 01' }));
    await user.click(screen.getByTestId(TID.bulkEdit));
    expect(onEdit).toHaveBeenCalledWith('id-2');

    await user.click(screen.getByTestId(TID.bulkResetSelection));
    expect(screen.queryByTestId(TID.bulkBar)).not.toBeInTheDocument();
  });

  it('selects every row of the page with the header checkbox', async () => {
    const user = setupUser();
    renderAt(<Harness />, { route: '/things?page_size=10' });
    const headerRow = screen.getAllByRole('row')[0] as HTMLElement;
    await user.click(within(headerRow).getByRole('checkbox'));
    expect(screen.getByTestId(TID.bulkSelectedCount)).toHaveTextContent('Selected: 10');
    expect(screen.getByRole('checkbox', { name: 'Select Provider 10' })).toBeChecked();
  });

  it('shows "Shown X–Y of N" and "10,000+" when the total is capped', () => {
    const { unmount } = renderAt(<Harness />, { route: '/things?page=3' });
    expect(screen.getByTestId(TID.tableShownRange)).toHaveTextContent('Shown 41–45 of 45');
    unmount();
    renderAt(<Harness capped />, { route: '/things' });
    expect(screen.getByTestId(TID.tableShownRange)).toHaveTextContent('Shown 1–20 of 10,000+');
  });

  it('shows "about N" when the total is the server\'s estimate, in English and Russian', async () => {
    const { unmount } = renderAt(<Harness estimated={300000} />, { route: '/things' });
    expect(screen.getByTestId(TID.tableShownRange)).toHaveTextContent('Shown 1–20 of about 300,000');
    expect(screen.getByTestId(TID.tableShownRange)).not.toHaveTextContent('+');
    // page numbers stop where a capped total's do (10,000 rows / 20), not at 15,000
    expect(screen.getByTitle('500')).toBeInTheDocument();
    expect(screen.queryByTitle('15000')).not.toBeInTheDocument();
    unmount();
    await i18n.changeLanguage('ru');
    try {
      renderAt(<Harness estimated={300000} />, { route: '/things' });
      // ru-RU groups digits with a no-break space
      expect(screen.getByTestId(TID.tableShownRange).textContent?.replace(/\s/g, ' ')).toBe(
        'Показано 1–20, всего около 300 000',
      );
    } finally {
      await i18n.changeLanguage('en');
    }
  });

  it('passes the cursor of the previous response when moving one page forward', async () => {
    const user = setupUser();
    const seen: ListParams[] = [];
    renderAt(<Harness seen={seen} />, { route: '/things' });
    await user.click(screen.getByTitle('Next Page'));
    await waitFor(() => expect(currentUrl().searchParams.get('page')).toBe('2'));
    expect(currentUrl().searchParams.get('cursor')).toBe('next-of-1');
    expect(seen.at(-1)).toMatchObject({ page: 2, cursor: 'next-of-1' });
    // A jump to a page that is not a neighbour goes by page number only.
    await user.click(screen.getByTitle('1'));
    await waitFor(() => expect(currentUrl().searchParams.has('page')).toBe(false));
    expect(currentUrl().searchParams.get('cursor')).toBe('prev-of-2');
    await user.click(screen.getByTitle('3'));
    await waitFor(() => expect(currentUrl().searchParams.get('page')).toBe('3'));
    expect(currentUrl().searchParams.has('cursor')).toBe(false);
  });

  it('changes the page size from the select and goes back to page 1', async () => {
    const user = setupUser();
    renderAt(<Harness />, { route: '/things?page=2' });
    await user.click(screen.getByRole('combobox', { name: 'Rows per page' }));
    await user.click(await screen.findByTitle('50 / page'));
    await waitFor(() => expect(currentUrl().searchParams.get('page_size')).toBe('50'));
    expect(currentUrl().searchParams.has('page')).toBe(false);
    expect(screen.getByTestId(TID.tableShownRange)).toHaveTextContent('Shown 1–45 of 45');
  });

  it('confirms bulk delete with Delete/Cancel and lists what the server refused', async () => {
    const user = setupUser();
    const onBulkDelete = vi.fn(async (ids: string[]) => ({
      results: ids.map((id) => (id === 'id-1' ? { id, ok: false, code: 'provider.activeCannotBeDeleted', message: 'An active provider cannot be deleted' } : { id, ok: true })),
    }));
    renderAt(<Harness onBulkDelete={onBulkDelete} />, { route: '/things?page_size=10' });
    await user.click(screen.getByRole('checkbox', { name: 'Select Provider 01' }));
    await user.click(screen.getByRole('checkbox', { name: 'Select Provider 02' }));
    await user.click(screen.getByTestId(TID.bulkDelete));

    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));

    expect(onBulkDelete).toHaveBeenCalledWith(['id-1', 'id-2']);
    const report = await screen.findByTestId(TID.bulkDeleteReport);
    expect(report).toHaveTextContent('Provider 01: An active provider cannot be deleted');
    expect(report).not.toHaveTextContent('Provider 02');
    // The refused row stays selected; the deleted one leaves the selection.
    expect(screen.getByTestId(TID.bulkSelectedCount)).toHaveTextContent('Selected: 1');
  });

  it('opens the edit form on double-click and from the row action menu', async () => {
    const user = setupUser();
    const onEdit = vi.fn();
    renderAt(<Harness onEdit={onEdit} />, { route: '/things' });
    await user.dblClick(screen.getByText('Provider 03'));
    expect(onEdit).toHaveBeenCalledWith('id-3');

    const row = screen.getByText('Provider 04').closest('tr') as HTMLElement;
    await user.click(within(row).getByTestId(TID.rowActions));
    await user.click(await screen.findByTestId(TID.rowActionEdit));
    expect(onEdit).toHaveBeenLastCalledWith('id-4');
  });
});
