import { useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import Tag from 'antd/es/tag';
import { usePermissions } from '../../../api/auth';
import type { Attribute } from '../../../api/types';
import { DataTable, filterParamKeys, useTableUrlState, type DataTableColumn, type FilterDef } from '../../../components/DataTable';
import { attributes } from '../api/attributes';

export function AttributesListPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const canWrite = usePermissions().has('users.write');
  const filters: FilterDef[] = [
    {
      type: 'select',
      key: 'type',
      label: t('attributes.type'),
      allLabel: t('attributes.filter.allTypes'),
      options: [
        { value: 'string', label: t('attributes.types.string') },
        { value: 'list', label: t('attributes.types.list') },
      ],
    },
  ];
  const table = useTableUrlState(filterParamKeys(filters));
  const list = attributes.useList(table.params);
  const bulkDelete = attributes.useBulkDelete();
  const columns: DataTableColumn<Attribute>[] = [
    { key: 'code', title: t('attributes.code') },
    { key: 'name', title: t('attributes.name') },
    { key: 'type', title: t('attributes.type'), render: (a) => t(`attributes.types.${a.type}`, { defaultValue: a.type }) },
    { key: 'system', title: t('attributes.system'), sortable: false, render: (a) => (a.system ? <Tag color="blue">{t('attributes.systemTag')}</Tag> : null) },
  ];
  return (
    <DataTable<Attribute>
      title={t('attributes.title')}
      table={table}
      filters={filters}
      columns={columns}
      data={list.data}
      loading={list.isFetching}
      error={list.error}
      searchPlaceholder={t('attributes.searchPlaceholder')}
      rowLabel={(a) => a.code}
      deleteDisabledReason={(a) => (a.system ? t('attributes.systemCannotBeDeleted') : undefined)}
      onAdd={canWrite ? () => navigate('/access-schema/new', { state: { back: location.search } }) : undefined}
      onEdit={(id) => navigate(`/access-schema/${id}`, { state: { back: location.search } })}
      onBulkDelete={canWrite ? (ids) => bulkDelete.mutateAsync(ids) : undefined}
    />
  );
}
