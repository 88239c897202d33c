import { useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { usePermissions } from '../../../api/auth';
import type { UserType } from '../../../api/types';
import { DataTable, useTableUrlState, type DataTableColumn } from '../../../components/DataTable';
import { userTypes } from '../api/userTypes';

const NO_FILTERS: string[] = [];

export function UserTypesListPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const canWrite = usePermissions().has('users.write');
  const table = useTableUrlState(NO_FILTERS);
  const list = userTypes.useList(table.params);
  const bulkDelete = userTypes.useBulkDelete();
  const columns: DataTableColumn<UserType>[] = [
    { key: 'code', title: t('userTypes.code') },
    { key: 'name', title: t('userTypes.name') },
    { key: 'quota', title: t('userTypes.quota'), render: (u) => (u.quota > 0 ? u.quota : t('userTypes.unlimited')) },
    { key: 'active_users', title: t('userTypes.activeUsers'), sortable: false, render: (u) => u.active_users },
  ];
  return (
    <DataTable<UserType>
      title={t('userTypes.title')}
      table={table}
      columns={columns}
      data={list.data}
      loading={list.isFetching}
      error={list.error}
      searchPlaceholder={t('userTypes.searchPlaceholder')}
      rowLabel={(u) => u.code}
      onAdd={canWrite ? () => navigate('/user-types/new', { state: { back: location.search } }) : undefined}
      onEdit={(id) => navigate(`/user-types/${id}`, { state: { back: location.search } })}
      onBulkDelete={canWrite ? (ids) => bulkDelete.mutateAsync(ids) : undefined}
    />
  );
}
