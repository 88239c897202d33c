import { useTranslation } from 'react-i18next';
import Tag from 'antd/es/tag';
import type { Attribute } from '../../../api/types';
import { DataTable, useListPage, type DataTableColumn, type FilterDef } from '../../../components/DataTable';
import { attributes } from '../api/attributes';

export function AttributesListPage() {
  const { t } = useTranslation();
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
  const page = useListPage({ resource: attributes, path: '/access-schema', writePermission: 'users.write', filters, rowLabel: (a) => a.code });
  const columns: DataTableColumn<Attribute>[] = [
    { key: 'code', title: t('attributes.code') },
    { key: 'name', title: t('attributes.name') },
    { key: 'type', title: t('attributes.type'), render: (a) => t(`attributes.types.${a.type}`, { defaultValue: a.type }) },
    { key: 'system', title: t('attributes.system'), sortable: false, render: (a) => (a.system ? <Tag color="blue">{t('attributes.systemTag')}</Tag> : null) },
  ];
  return (
    <DataTable<Attribute>
      {...page.tableProps}
      title={t('attributes.title')}
      columns={columns}
      searchPlaceholder={t('attributes.searchPlaceholder')}
      deleteDisabledReason={(a) => (a.system ? t('attributes.systemCannotBeDeleted') : undefined)}
    />
  );
}
