// The SKZI accounting register (журнал учёта СКЗИ): every device issued with an SKZI
// document — device, user, document number and date, issued and revoked dates — as a CSV.
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Table from 'antd/es/table';
import { DownloadOutlined } from '@ant-design/icons';
import { PageHeader } from '../../../components/PageHeader';
import { errorMessage } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { TID } from '../../../testids';
import { useDeviceTypeOptions, useRegister, type Device } from '../api/operations';
import { registerCsv } from './registerCsv';

export function SkziRegisterPage() {
  const { t } = useTranslation();
  const reg = useRegister();
  const types = useDeviceTypeOptions();
  const typeName = new Map((types.data?.items ?? []).map((d) => [d.id, d.name]));
  const rows = reg.data ?? [];
  const download = () => {
    const csv = registerCsv(rows, (d) => typeName.get(d.device_type_id) ?? '', [
      t('devices.deviceType'),
      t('devices.serial'),
      t('devices.label'),
      t('devices.user'),
      t('devices.skziNumber'),
      t('devices.skziDate'),
      t('devices.issuedAt'),
      t('devices.revokedAt'),
    ]);
    const url = URL.createObjectURL(new Blob(['\ufeff', csv], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'skzi-register.csv';
    a.click();
    URL.revokeObjectURL(url);
  };
  const columns = [
    { key: 'device', title: t('devices.device'), render: (_: unknown, d: Device) => `${typeName.get(d.device_type_id) ?? '…'} ${d.serial}${d.label ? ` (${d.label})` : ''}` },
    { key: 'user', dataIndex: 'user_login', title: t('devices.user') },
    { key: 'skzi_number', dataIndex: 'skzi_number', title: t('devices.skziNumber') },
    { key: 'skzi_date', dataIndex: 'skzi_date', title: t('devices.skziDate') },
    { key: 'issued_at', title: t('devices.issuedAt'), render: (_: unknown, d: Device) => formatDateTime(d.issued_at) },
    { key: 'revoked_at', title: t('devices.revokedAt'), render: (_: unknown, d: Device) => (d.revoked_at ? formatDateTime(d.revoked_at) : '—') },
  ];
  return (
    <>
      <PageHeader
        title={t('devices.register.title')}
        extra={
          <Button icon={<DownloadOutlined />} data-testid={TID.skziExport} disabled={rows.length === 0} onClick={download}>
            {t('devices.register.export')}
          </Button>
        }
      />
      {reg.isError && <Alert type="error" showIcon message={errorMessage(t, reg.error)} style={{ marginBottom: 12 }} />}
      <Table<Device> rowKey="id" size="middle" loading={reg.isFetching} columns={columns} dataSource={rows} pagination={{ pageSize: 50, hideOnSinglePage: true }} data-testid={TID.skziRegister} />
    </>
  );
}
