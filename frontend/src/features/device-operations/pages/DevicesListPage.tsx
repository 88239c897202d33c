// The issued devices: user, type, serial, label, status, the SKZI document, issued and
// revoked dates. A row opens the device with its certificates and history.
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { DataTable, useTableUrlState, type DataTableColumn, type FilterDef } from '../../../components/DataTable';
import { formatDateTime } from '../../../lib/format';
import { DEVICE_STATUSES, useDevices, useDeviceTypeOptions, type Device } from '../api/operations';
import { DeviceStatusTag } from '../components/StatusTags';

export function DevicesListPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const types = useDeviceTypeOptions();
  const typeName = new Map((types.data?.items ?? []).map((d) => [d.id, d.name]));
  const filters: FilterDef[] = [
    {
      type: 'select',
      key: 'status',
      label: t('devices.statusLabel'),
      allLabel: t('devices.all'),
      options: DEVICE_STATUSES.map((s) => ({ value: s, label: t(`devices.status.${s}`) })),
    },
  ];
  const table = useTableUrlState(['status']);
  const list = useDevices(table.params);
  const columns: DataTableColumn<Device>[] = [
    { key: 'user_login', title: t('devices.user'), sortable: false },
    { key: 'device_type_id', title: t('devices.deviceType'), sortable: false, render: (d) => typeName.get(d.device_type_id) ?? '…' },
    { key: 'serial', title: t('devices.serial') },
    { key: 'label', title: t('devices.label'), sortable: false, render: (d) => d.label || '—' },
    { key: 'status', title: t('devices.statusLabel'), render: (d) => <DeviceStatusTag status={d.status} /> },
    { key: 'skzi_number', title: t('devices.skziNumber'), sortable: false, render: (d) => d.skzi_number || '—' },
    { key: 'skzi_date', title: t('devices.skziDate'), sortable: false, render: (d) => d.skzi_date || '—' },
    { key: 'issued_at', title: t('devices.issuedAt'), render: (d) => formatDateTime(d.issued_at) },
    { key: 'revoked_at', title: t('devices.revokedAt'), sortable: false, render: (d) => (d.revoked_at ? formatDateTime(d.revoked_at) : '—') },
  ];
  return (
    <DataTable<Device>
      title={t('devices.list.title')}
      table={table}
      filters={filters}
      data={list.data}
      loading={list.isFetching}
      error={list.error}
      columns={columns}
      rowLabel={(d) => d.serial}
      searchPlaceholder={t('devices.list.search')}
      onEdit={(id) => navigate(`/devices/${id}`, { state: { back: location.search } })}
    />
  );
}
