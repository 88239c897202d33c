// «Сервис самообслуживания»: on first entry the secret questions when the usage policy
// requires more than are set; then the device agent, «Ваши устройства» with the issuances
// in flight, «Выпустить устройство», and the secret questions to change later.
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import App from 'antd/es/app';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Modal from 'antd/es/modal';
import Typography from 'antd/es/typography';
import { PageSpinner } from '../../../app/PageSpinner';
import { PageHeader } from '../../../components/PageHeader';
import { errorMessage } from '../../../lib/errors';
import { TID } from '../../../testids';
import { useCancelIssuance, useIssuanceOptions, useMyDevices, useMyIssuances, useSecretQuestions, useSMEVForm } from '../api/selfservice';
import type { Issuance, MyDevice } from '../api/types';
import { AgentPanel } from '../components/AgentPanel';
import { DevicesTable, rowsOf } from '../components/DevicesTable';
import { IssueDialog, type KnownPin } from '../components/IssueDialog';
import { SecretQuestionsForm } from '../components/SecretQuestionsForm';
import { UnblockPinDialog } from '../components/UnblockPinDialog';
import { useAgent } from '../lib/useAgent';

export function SelfServicePage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const questions = useSecretQuestions();
  const devices = useMyDevices();
  const issuances = useMyIssuances();
  const options = useIssuanceOptions();
  const smev = useSMEVForm(!!options.data?.policy?.smev_check);
  const cancel = useCancelIssuance();
  const agent = useAgent();
  const [dialog, setDialog] = useState<{ issuance?: Issuance } | null>(null);
  const [editQuestions, setEditQuestions] = useState(false);
  const [unblock, setUnblock] = useState<MyDevice | null>(null);
  // PINs this page set on a device, per issuance, for Continue: memory only, gone with the page.
  const pins = useRef(new Map<string, KnownPin>());

  if (questions.isPending) return <PageSpinner />;
  const q = questions.data;
  const answered = q?.questions.filter((x) => x.has_answer).length ?? 0;
  const header = <PageHeader title={t('selfService.title')} />;

  if (q && q.required > answered) {
    return (
      <div data-testid={TID.selfService}>
        {header}
        <Card title={t('selfService.questions.title')}>
          <Typography.Paragraph>{t('selfService.questions.firstIntro', { count: q.required })}</Typography.Paragraph>
          <SecretQuestionsForm current={q} />
        </Card>
      </div>
    );
  }

  const opts = options.data;
  const policy = opts?.policy;
  const loadError = questions.error ?? devices.error ?? issuances.error ?? options.error;
  let blocker: string | undefined;
  if (opts && !policy) blocker = t('selfService.devices.noPolicy');
  else if (policy && !policy.self_issuance_allowed) blocker = t('selfService.devices.selfIssuanceOff');

  const rows = rowsOf(devices.data?.items ?? [], issuances.data?.items ?? []);
  // Seed 001: «Выпустить устройство» only while no device is issued (an operator issues
  // another); an open request is continued or cancelled first. The server says the same.
  if (!blocker && rows.some((r) => r.device && r.device.status !== 'revoked')) blocker = t('selfService.devices.deviceHeld');
  else if (!blocker && rows.some((r) => r.issuance && r.issuance.state !== 'rejected')) blocker = t('selfService.devices.requestOpen');
  const issueButton = (
    <Button type="primary" data-testid={TID.issueDevice} disabled={!!blocker || !opts} onClick={() => setDialog({})}>
      {t('selfService.devices.issue')}
    </Button>
  );

  return (
    <div data-testid={TID.selfService}>
      {header}
      {loadError && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={t('selfService.loadFailed')} description={errorMessage(t, loadError)} />}
      <AgentPanel agent={agent} />
      <Card title={t('selfService.devices.title')} extra={issueButton} style={{ marginBottom: 16 }}>
        {blocker && <Alert type="info" showIcon style={{ marginBottom: 16 }} message={blocker} />}
        <DevicesTable
          rows={rows}
          loading={devices.isPending || issuances.isPending}
          types={opts?.device_types ?? []}
          onContinue={(i) => setDialog({ issuance: i })}
          onUnblock={setUnblock}
          onCancel={(i) =>
            cancel.mutate(i.id, {
              onSuccess: () => void message.success(t('selfService.devices.cancelled')),
              onError: (e) => void message.error(errorMessage(t, e)),
            })
          }
        />
      </Card>
      <Card
        title={t('selfService.questions.title')}
        extra={
          <Button data-testid={TID.selfServiceQuestionsChange} onClick={() => setEditQuestions(true)}>
            {t('selfService.questions.change')}
          </Button>
        }
      >
        <Typography.Text>
          {q && q.questions.length > 0 ? t('selfService.questions.summary', { count: answered, required: q.required }) : t('selfService.questions.none')}
        </Typography.Text>
      </Card>
      {editQuestions && q && (
        <Modal open title={t('selfService.questions.change')} footer={null} width={720} destroyOnHidden onCancel={() => setEditQuestions(false)}>
          <Typography.Paragraph type="secondary">{t('selfService.questions.intro')}</Typography.Paragraph>
          <SecretQuestionsForm current={q} onSaved={() => setEditQuestions(false)} />
        </Modal>
      )}
      {unblock && (
        <UnblockPinDialog agent={agent} device={unblock} type={opts?.device_types.find((d) => d.id === unblock.device_type_id)} onClose={() => setUnblock(null)} />
      )}
      {dialog && opts && (
        <IssueDialog
          agent={agent}
          options={opts}
          smev={smev.data}
          devices={devices.data?.items ?? []}
          issuance={dialog.issuance}
          known={dialog.issuance ? pins.current.get(dialog.issuance.id) : undefined}
          remember={(id, pin) => pins.current.set(id, pin)}
          onClose={() => {
            setDialog(null);
            void agent.refresh();
          }}
        />
      )}
    </div>
  );
}
