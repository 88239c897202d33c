// One device: its owner, type, serial, status and SKZI document, the certificates written on
// it and its history; Block, Unblock and Revoke (devices.write) each confirmed with a comment.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import Alert from 'antd/es/alert';
import App from 'antd/es/app';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Descriptions from 'antd/es/descriptions';
import Input from 'antd/es/input';
import Space from 'antd/es/space';
import Table from 'antd/es/table';
import Tag from 'antd/es/tag';
import { PageSpinner } from '../../../app/PageSpinner';
import { usePermissions } from '../../../api/auth';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { PageHeader } from '../../../components/PageHeader';
import { errorMessage } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { TID } from '../../../testids';
import { useDevice, useDeviceAct, useDeviceTypeOptions, useTemplateOptions, type DeviceAct, type DeviceDetail } from '../api/operations';
import { HistoryTimeline } from '../components/HistoryTimeline';
import { DeviceStatusTag } from '../components/StatusTags';

type Cert = DeviceDetail['certificates'][number];

export function DevicePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { has } = usePermissions();
  const { notification } = App.useApp();
  const one = useDevice(id);
  const types = useDeviceTypeOptions();
  const tpls = useTemplateOptions();
  const act = useDeviceAct();
  const [asking, setAsking] = useState<DeviceAct | null>(null);
  const [comment, setComment] = useState('');
  if (one.isPending) return <PageSpinner />;
  if (one.isError) return <Alert type="error" showIcon message={errorMessage(t, one.error)} />;
  const d = one.data;
  const tplName = new Map((tpls.data?.items ?? []).map((x) => [x.id, x.name]));
  const run = async () => {
    if (!asking) return;
    try {
      await act.mutateAsync({ id: d.id, act: asking, version: d.version, comment: comment.trim() });
      notification.success({ message: t(`devices.acts.${asking}Done`) });
    } catch (e) {
      notification.error({ message: errorMessage(t, e) });
    }
    setAsking(null);
    setComment('');
  };
  const button = (a: DeviceAct, testId: string, danger = false) => (
    <Button danger={danger} data-testid={testId} onClick={() => setAsking(a)}>
      {t(`devices.acts.${a}`)}
    </Button>
  );
  const actions = has('devices.write') && d.status !== 'revoked' && (
    <Space>
      {d.status === 'issued' && button('block', TID.deviceBlock)}
      {d.status === 'blocked' && button('unblock', TID.deviceUnblock)}
      {button('revoke', TID.deviceRevoke, true)}
    </Space>
  );
  const certColumns = [
    { key: 'template', title: t('devices.template'), render: (_: unknown, c: Cert) => tplName.get(c.template_id) ?? '…' },
    { key: 'subject', dataIndex: 'subject', title: t('devices.certSubject') },
    { key: 'serial', dataIndex: 'serial', title: t('devices.serial') },
    { key: 'not_after', title: t('devices.notAfter'), render: (_: unknown, c: Cert) => formatDateTime(c.not_after) },
    {
      key: 'state',
      title: t('devices.statusLabel'),
      render: (_: unknown, c: Cert) => (c.revoked ? <Tag color="red">{t('devices.certRevoked')}</Tag> : c.confirmed ? <Tag color="green">{t('devices.certOnDevice')}</Tag> : <Tag>{t('devices.certUnconfirmed')}</Tag>),
    },
  ];
  return (
    <>
      <PageHeader title={t('devices.oneTitle', { serial: d.serial })} extra={actions || undefined} />
      <Descriptions bordered size="small" column={1} style={{ maxWidth: 820 }} data-testid={TID.deviceDetails}>
        <Descriptions.Item label={t('devices.statusLabel')}>
          <DeviceStatusTag status={d.status} />
        </Descriptions.Item>
        <Descriptions.Item label={t('devices.user')}>{d.user_login}</Descriptions.Item>
        <Descriptions.Item label={t('devices.deviceType')}>{types.data?.items.find((x) => x.id === d.device_type_id)?.name ?? '…'}</Descriptions.Item>
        <Descriptions.Item label={t('devices.serial')}>{d.serial}</Descriptions.Item>
        <Descriptions.Item label={t('devices.label')}>{d.label || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('devices.skzi')}>{d.skzi_number ? `${d.skzi_number} · ${d.skzi_date}` : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('devices.issuedAt')}>{formatDateTime(d.issued_at)}</Descriptions.Item>
        {d.revoked_at && <Descriptions.Item label={t('devices.revokedAt')}>{formatDateTime(d.revoked_at)}</Descriptions.Item>}
      </Descriptions>
      <Card size="small" title={t('devices.certificates')} style={{ maxWidth: 1100, marginTop: 16 }}>
        <Table<Cert> rowKey="id" size="small" pagination={false} columns={certColumns} dataSource={d.certificates} data-testid={TID.deviceCertificates} />
      </Card>
      <Card size="small" title={t('devices.history')} style={{ maxWidth: 820, marginTop: 16 }}>
        <HistoryTimeline events={d.history} />
      </Card>
      <ConfirmDialog
        open={asking !== null}
        testId={TID.deviceActConfirm}
        title={asking ? t(`devices.acts.${asking}Title`, { serial: d.serial }) : ''}
        confirmLabel={asking ? t(`devices.acts.${asking}`) : undefined}
        danger={asking !== 'unblock'}
        loading={act.isPending}
        onCancel={() => {
          setAsking(null);
          setComment('');
        }}
        onConfirm={() => void run()}
      >
        {asking && <p>{t(`devices.acts.${asking}Text`)}</p>}
        <Input.TextArea aria-label={t('devices.issuances.comment')} placeholder={t('devices.issuances.comment')} rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
      </ConfirmDialog>
    </>
  );
}
