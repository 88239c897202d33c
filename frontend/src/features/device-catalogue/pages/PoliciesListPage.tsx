import { useTranslation } from 'react-i18next';
import Tag from 'antd/es/tag';
import { DataTable, useListPage, type DataTableColumn } from '../../../components/DataTable';
import { policies, useGroupOptions, type DevicePolicy } from '../api/catalogue';

export function PoliciesListPage() {
  const { t } = useTranslation();
  const groups = useGroupOptions();
  const groupName = new Map((groups.data?.items ?? []).map((g) => [g.id, g.name]));
  const page = useListPage({ resource: policies, path: '/device-policies', writePermission: 'devices.write', rowLabel: (p) => p.name });
  const flag = (on: boolean, label: string) => (on ? <Tag key={label}>{label}</Tag> : null);
  const columns: DataTableColumn<DevicePolicy>[] = [
    { key: 'priority', title: t('devices.policies.priority'), width: 110 },
    { key: 'name', title: t('devices.policies.name') },
    { key: 'group_ids', title: t('devices.policies.groups'), sortable: false, render: (p) => p.group_ids.map((id) => groupName.get(id) ?? '…').join(', ') || '—' },
    {
      key: 'flags',
      title: t('devices.policies.flags'),
      sortable: false,
      render: (p) => [
        flag(p.self_issuance_allowed, t('devices.policies.flagSelf')),
        flag(p.approval_required, t('devices.policies.flagApproval')),
        flag(p.skzi_accounting, t('devices.policies.flagSkzi')),
        flag(p.smev_check, t('devices.policies.flagSmev')),
      ],
    },
  ];
  return <DataTable<DevicePolicy> {...page.tableProps} title={t('devices.policies.title')} columns={columns} searchPlaceholder={t('devices.policies.search')} />;
}
