import { useTranslation } from 'react-i18next';
import Tag from 'antd/es/tag';
import type { User } from '../../../api/types';
import { DataTable, useListPage, type DataTableColumn, type FilterDef } from '../../../components/DataTable';
import { formatDateTime } from '../../../lib/format';
import { useUserTypeOptions, users } from '../api/users';

export function UsersListPage() {
  const { t } = useTranslation();
  const types = useUserTypeOptions();
  const typeName = new Map((types.data?.items ?? []).map((ut) => [ut.id, ut.name]));

  const filters: FilterDef[] = [
    {
      type: 'select',
      key: 'active',
      label: t('users.filter.activity'),
      allLabel: t('users.filter.allActivity'),
      options: [
        { value: 'true', label: t('users.filter.active') },
        { value: 'false', label: t('users.filter.inactive') },
      ],
    },
    {
      type: 'select',
      key: 'user_type_id',
      label: t('users.userType'),
      allLabel: t('users.filter.allUserTypes'),
      options: (types.data?.items ?? []).map((ut) => ({ value: ut.id, label: ut.name })),
    },
  ];
  const page = useListPage({ resource: users, path: '/users', writePermission: 'users.write', filters, rowLabel: (u) => u.login });

  const columns: DataTableColumn<User>[] = [
    { key: 'login', title: t('users.login') },
    { key: 'email', title: t('users.email') },
    { key: 'display_name', title: t('users.displayName') },
    { key: 'user_type_id', title: t('users.userType'), sortable: false, render: (u) => (u.user_type_id ? (typeName.get(u.user_type_id) ?? '—') : '—') },
    {
      key: 'active',
      title: t('users.active'),
      render: (u) => (u.active ? <Tag color="green">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>),
    },
    { key: 'last_login_at', title: t('users.lastLogin'), render: (u) => formatDateTime(u.last_login_at) },
  ];

  return <DataTable<User> {...page.tableProps} title={t('users.title')} columns={columns} searchPlaceholder={t('users.searchPlaceholder')} />;
}
