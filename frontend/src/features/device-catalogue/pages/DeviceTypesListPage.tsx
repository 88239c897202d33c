import { useTranslation } from 'react-i18next';
import Tag from 'antd/es/tag';
import dayjs from 'dayjs';
import { DataTable, useListPage, type DataTableColumn } from '../../../components/DataTable';
import { deviceTypes, type DeviceType } from '../api/catalogue';

export function DeviceTypesListPage() {
  const { t } = useTranslation();
  const page = useListPage({ resource: deviceTypes, path: '/device-types', writePermission: 'devices.write', rowLabel: (d) => d.name });
  const columns: DataTableColumn<DeviceType>[] = [
    { key: 'name', title: t('devices.types.name') },
    { key: 'vendor', title: t('devices.types.vendor') },
    { key: 'model', title: t('devices.types.model'), sortable: false },
    {
      key: 'pin_areas',
      title: t('devices.types.pinAreas'),
      sortable: false,
      render: (d) => d.pin_areas.map((a) => <Tag key={a.code}>{a.name}</Tag>),
    },
    { key: 'created_at', title: t('devices.created'), render: (d) => dayjs(d.created_at).format('YYYY-MM-DD') },
  ];
  return <DataTable<DeviceType> {...page.tableProps} title={t('devices.types.title')} columns={columns} searchPlaceholder={t('devices.types.search')} />;
}
