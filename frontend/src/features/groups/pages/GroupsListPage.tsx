import { useTranslation } from 'react-i18next';
import Tag from 'antd/es/tag';
import type { Group } from '../../../api/types';
import { DataTable, useListPage, type DataTableColumn, type FilterDef } from '../../../components/DataTable';
import { groups } from '../api/groups';

export function GroupsListPage() {
  const { t } = useTranslation();
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
  const page = useListPage({ resource: groups, path: '/groups', writePermission: 'users.write', filters, rowLabel: (g) => g.code });
  const columns: DataTableColumn<Group>[] = [
    { key: 'code', title: t('groups.code') },
    { key: 'name', title: t('groups.name') },
    { key: 'system', title: t('groups.system'), render: (g) => (g.system ? <Tag color="blue">{t('groups.systemTag')}</Tag> : <Tag>{t('groups.customTag')}</Tag>) },
    { key: 'permissions', title: t('groups.permissionsCount'), sortable: false, render: (g) => g.permissions?.length ?? 0 },
  ];
  return (
    <DataTable<Group>
      {...page.tableProps}
      title={t('groups.title')}
      columns={columns}
      searchPlaceholder={t('groups.searchPlaceholder')}
      deleteDisabledReason={(g) => (g.system ? t('groups.systemCannotBeDeleted') : undefined)}
    />
  );
}
