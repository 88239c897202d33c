// «Ваши устройства»: the caller's devices (type, serial number, name, status) and, with
// them, the issuances in flight: pending, approved/writing/failed with «Продолжить выпуск
// устройства», rejected with the operator's comment.
import { useTranslation } from 'react-i18next';
import Button from 'antd/es/button';
import Popconfirm from 'antd/es/popconfirm';
import Space from 'antd/es/space';
import Table from 'antd/es/table';
import Tag from 'antd/es/tag';
import Typography from 'antd/es/typography';
import { TID } from '../../../testids';
import type { Issuance, MyDevice, OptionDeviceType } from '../api/types';

export interface Row {
  key: string;
  typeId: string;
  serial: string;
  name: string;
  status: string;
  device?: MyDevice;
  issuance?: Issuance;
}

const COLORS: Record<string, string> = {
  issued: 'success', blocked: 'warning', revoked: 'default', pending_approval: 'processing', approved: 'blue',
  writing: 'processing', failed: 'error', rejected: 'error',
};

const RESUMABLE = new Set(['approved', 'writing', 'failed']);
const CANCELLABLE = new Set(['draft', 'smev_check', 'pending_approval', 'approved', 'writing', 'failed']);

export function rowsOf(devices: MyDevice[], issuances: Issuance[]): Row[] {
  const open = issuances.filter((i) => i.state !== 'issued' && i.state !== 'cancelled');
  return [
    ...open.map((i) => ({ key: `i:${i.id}`, typeId: i.device_type_id, serial: i.serial, name: '', status: i.state, issuance: i })),
    ...devices.map((d) => ({ key: `d:${d.id}`, typeId: d.device_type_id, serial: d.serial, name: d.label, status: d.status, device: d })),
  ];
}

interface Props {
  rows: Row[];
  loading: boolean;
  types: OptionDeviceType[];
  onContinue: (i: Issuance) => void;
  onCancel: (i: Issuance) => void;
  /** onUnblock: set a new user PIN on an issued device through the agent (a locked or forgotten PIN). */
  onUnblock: (d: MyDevice) => void;
}

export function DevicesTable({ rows, loading, types, onContinue, onCancel, onUnblock }: Props) {
  const { t } = useTranslation();
  const typeName = (id: string) => types.find((x) => x.id === id)?.name ?? t('selfService.devices.unknownType');
  const note = (r: Row) => {
    const i = r.issuance;
    if (!i) return null;
    if (i.state === 'pending_approval') return t('selfService.devices.pendingText');
    if (i.state === 'rejected') return i.decision_comment ? t('selfService.devices.rejectedComment', { comment: i.decision_comment }) : t('selfService.devices.rejectedText');
    if (i.state === 'failed' && i.error) return t('selfService.devices.failedText', { reason: i.error });
    return null;
  };
  return (
    <Table<Row>
      data-testid={TID.myDevices}
      rowKey="key"
      size="small"
      pagination={false}
      loading={loading}
      dataSource={rows}
      locale={{ emptyText: t('selfService.devices.empty') }}
      onRow={(r) => ({ 'data-status': r.status }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        { key: 'type', title: t('selfService.devices.type'), render: (_, r) => typeName(r.typeId) },
        { key: 'serial', title: t('selfService.devices.serial'), render: (_, r) => r.serial || '—' },
        { key: 'name', title: t('selfService.devices.name'), render: (_, r) => r.name || '—' },
        {
          key: 'status',
          title: t('selfService.devices.status'),
          render: (_, r) => (
            <Space direction="vertical" size={0}>
              <Tag color={COLORS[r.status] ?? 'default'}>{t(`selfService.status.${r.status}`)}</Tag>
              {note(r) && <Typography.Text type={r.status === 'pending_approval' ? 'secondary' : 'danger'}>{note(r)}</Typography.Text>}
            </Space>
          ),
        },
        {
          key: 'actions',
          title: t('selfService.devices.actions'),
          render: (_, r) => {
            const i = r.issuance;
            if (r.device?.status === 'issued') {
              const d = r.device;
              return (
                <Button size="small" data-testid={TID.unblockPinButton} onClick={() => onUnblock(d)}>
                  {t('selfService.devices.unblock')}
                </Button>
              );
            }
            if (!i) return null;
            return (
              <Space wrap>
                {RESUMABLE.has(i.state) && (
                  <Button type="primary" size="small" data-testid={TID.continueIssuance} onClick={() => onContinue(i)}>
                    {t('selfService.devices.continue')}
                  </Button>
                )}
                {CANCELLABLE.has(i.state) && (
                  <Popconfirm title={t('selfService.devices.cancelConfirm')} onConfirm={() => onCancel(i)}>
                    <Button size="small" data-testid={TID.cancelIssuance}>{t('selfService.devices.cancel')}</Button>
                  </Popconfirm>
                )}
              </Space>
            );
          },
        },
      ]}
    />
  );
}
