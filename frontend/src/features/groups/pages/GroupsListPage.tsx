import { useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import Tag from 'antd/es/tag';
import { usePermissions } from '../../../api/auth';
import type { Group } from '../../../api/types';
import { DataTable, filterParamKeys, useTableUrlState, type DataTableColumn, type FilterDef } from '../../../components/DataTable';
import { groups } from '../api/groups';

export function GroupsListPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const canWrite = usePermissions().has('users.write');
  const filters: FilterDef[] = [
    {
      type: 'select',
      key: 'system',
      label: t('groups.filter.kind'),
      allLabel: t('groups.filter.allKinds'),
      options: [
        { value: 'true', label: t('groups.filter.system') },
        { value: 'false', label: t('groups.filter.custom') },
      ],
    },
  ];
  const table = useTableUrlState(filterParamKeys(filters));
  const list = groups.useList(table.params);
  const bulkDelete = groups.useBulkDelete();
  const columns: DataTableColumn<Group>[] = [
    { key: 'code', title: t('groups.code') },
    { key: 'name', title: t('groups.name') },
    { key: 'system', title: t('groups.system'), render: (g) => (g.system ? <Tag color="blue">{t('groups.systemTag')}</Tag> : <Tag>{t('groups.customTag')}</Tag>) },
    { key: 'permissions', title: t('groups.permissionsCount'), sortable: false, render: (g) => g.permissions?.length ?? 0 },
  ];
  const open = (id: string) => navigate(`/groups/${id}`, { state: { back: location.search } });
  return (
    <DataTable<Group>
      title={t('groups.title')}
      table={table}
      filters={filters}
      columns={columns}
      data={list.data}
      loading={list.isFetching}
      error={list.error}
      searchPlaceholder={t('groups.searchPlaceholder')}
      rowLabel={(g) => g.code}
      deleteDisabledReason={(g) => (g.system ? t('groups.systemCannotBeDeleted') : undefined)}
      onAdd={canWrite ? () => navigate('/groups/new', { state: { back: location.search } }) : undefined}
      onEdit={open}
      onBulkDelete={canWrite ? (ids) => bulkDelete.mutateAsync(ids) : undefined}
    />
  );
}
