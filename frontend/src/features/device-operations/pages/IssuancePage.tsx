// One issuance: who asked, for whom, the policy it runs under, the certificates, its state
// and history; Approve / Reject while it is pending and its SMEV check on request (devices.approve).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import Alert from 'antd/es/alert';
import App from 'antd/es/app';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Descriptions from 'antd/es/descriptions';
import Space from 'antd/es/space';
import { PageSpinner } from '../../../app/PageSpinner';
import { usePermissions } from '../../../api/auth';
import { PageHeader } from '../../../components/PageHeader';
import { errorMessage } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { TID } from '../../../testids';
import { useDecide, useDeviceTypeOptions, useIssuance, useTemplateOptions } from '../api/operations';
import { DecisionDialog } from '../components/DecisionDialog';
import { HistoryTimeline } from '../components/HistoryTimeline';
import { SMEVRecordCard } from '../components/SMEVRecordCard';
import { IssuanceStateTag } from '../components/StatusTags';

export function IssuancePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { has } = usePermissions();
  const { notification } = App.useApp();
  const one = useIssuance(id);
  const types = useDeviceTypeOptions();
  const tpls = useTemplateOptions();
  const decide = useDecide();
  const [decision, setDecision] = useState<'approve' | 'reject' | null>(null);
  if (one.isPending) return <PageSpinner />;
  if (one.isError) return <Alert type="error" showIcon message={errorMessage(t, one.error)} />;
  const i = one.data;
  const typeName = types.data?.items.find((d) => d.id === i.device_type_id)?.name ?? '…';
  const tplName = new Map((tpls.data?.items ?? []).map((x) => [x.id, x.name]));
  const confirm = async (comment: string) => {
    if (!decision) return;
    try {
      await decide.mutateAsync({ id: i.id, decision, comment });
      notification.success({ message: t(decision === 'approve' ? 'devices.issuances.approved' : 'devices.issuances.rejected') });
    } catch (e) {
      notification.error({ message: errorMessage(t, e) });
    }
    setDecision(null);
  };
  const actions =
    i.state === 'pending_approval' && has('devices.approve') ? (
      <Space>
        <Button type="primary" data-testid={TID.issuanceApprove} onClick={() => setDecision('approve')}>
          {t('devices.issuances.approve')}
        </Button>
        <Button danger data-testid={TID.issuanceReject} onClick={() => setDecision('reject')}>
          {t('devices.issuances.reject')}
        </Button>
      </Space>
    ) : undefined;
  return (
    <>
      <PageHeader title={t('devices.issuances.oneTitle', { login: i.user_login })} extra={actions} />
      <Descriptions bordered size="small" column={1} style={{ maxWidth: 820 }} data-testid={TID.issuanceDetails}>
        <Descriptions.Item label={t('devices.issuances.state')}>
          <IssuanceStateTag state={i.state} />
        </Descriptions.Item>
        <Descriptions.Item label={t('devices.user')}>{i.user_login}</Descriptions.Item>
        <Descriptions.Item label={t('devices.issuances.requestedBy')}>
          {i.requested_by_login} · {formatDateTime(i.created_at)}
        </Descriptions.Item>
        <Descriptions.Item label={t('devices.deviceType')}>{typeName}</Descriptions.Item>
        <Descriptions.Item label={t('devices.issuances.policy')}>{i.policy.name}</Descriptions.Item>
        <Descriptions.Item label={t('devices.issuances.templates')}>{i.template_ids.map((x) => tplName.get(x) ?? x).join(', ') || '—'}</Descriptions.Item>
        {i.skzi_number && (
          <Descriptions.Item label={t('devices.skzi')}>
            {i.skzi_number} · {i.skzi_date}
          </Descriptions.Item>
        )}
        {i.decided_at && (
          <Descriptions.Item label={t('devices.issuances.decision')}>
            {i.decided_by_login} · {formatDateTime(i.decided_at)}
            {i.decision_comment ? ` · «${i.decision_comment}»` : ''}
          </Descriptions.Item>
        )}
        {i.serial && <Descriptions.Item label={t('devices.serial')}>{i.serial}</Descriptions.Item>}
        {i.device_id && (
          <Descriptions.Item label={t('devices.device')}>
            <Link to={`/devices/${i.device_id}`}>{i.serial || i.device_id}</Link>
          </Descriptions.Item>
        )}
        {i.error && <Descriptions.Item label={t('devices.issuances.error')}>{i.error}</Descriptions.Item>}
      </Descriptions>
      {i.policy.smev_check && has('devices.approve') && <SMEVRecordCard issuanceId={i.id} />}
      <Card size="small" title={t('devices.history')} style={{ maxWidth: 820, marginTop: 16 }}>
        <HistoryTimeline events={i.history ?? []} />
      </Card>
      <DecisionDialog decision={decision} subject={i.user_login} busy={decide.isPending} onCancel={() => setDecision(null)} onConfirm={(c) => void confirm(c)} />
    </>
  );
}
