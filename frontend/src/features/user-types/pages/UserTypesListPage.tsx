import { useTranslation } from 'react-i18next';
import type { UserType } from '../../../api/types';
import { DataTable, useListPage, type DataTableColumn } from '../../../components/DataTable';
import { userTypes } from '../api/userTypes';

export function UserTypesListPage() {
  const { t } = useTranslation();
  const page = useListPage({ resource: userTypes, path: '/user-types', writePermission: 'users.write', rowLabel: (u) => u.code });
  const columns: DataTableColumn<UserType>[] = [
    { key: 'code', title: t('userTypes.code') },
    { key: 'name', title: t('userTypes.name') },
    { key: 'quota', title: t('userTypes.quota'), render: (u) => (u.quota > 0 ? u.quota : t('userTypes.unlimited')) },
    { key: 'active_users', title: t('userTypes.activeUsers'), sortable: false, render: (u) => u.active_users },
  ];
  return <DataTable<UserType> {...page.tableProps} title={t('userTypes.title')} columns={columns} searchPlaceholder={t('userTypes.searchPlaceholder')} />;
}
