// The device steps of one issuance with their progress; on a stop the reason and Continue
// (from the key pairs when this page set the user PIN); at the end the random PIN, once.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import Alert from 'antd/es/alert';
import App from 'antd/es/app';
import Button from 'antd/es/button';
import Result from 'antd/es/result';
import Space from 'antd/es/space';
import Steps from 'antd/es/steps';
import Typography from 'antd/es/typography';
import { copyText } from '../../../lib/clipboard';
import { errorMessage } from '../../../lib/errors';
import type { AgentClient, AgentToken } from '../../../lib/agent';
import { TID } from '../../../testids';
import { selfServiceKeys } from '../api/selfservice';
import type { Issuance, OptionTemplate } from '../api/types';
import { planSteps, runIssuance, type ExtraArea, type FlowInput, type FlowResult, type Step, type StepStatus } from '../lib/flow';
import { agentMessage } from '../lib/messages';

export interface ProgressProps {
  agent: AgentClient;
  issuance: Issuance;
  token: AgentToken;
  templates: OptionTemplate[];
  adminPin: string;
  userPin: string;
  label: string;
  skipInit?: boolean;
  extraAreas?: ExtraArea[];
  /** A PIN this page set on the device earlier for this issuance (memory only). */
  known?: { userPin: string; random: boolean };
  remember: (issuanceId: string, pin: { userPin: string; random: boolean }) => void;
  onClose: () => void;
}

export function ProgressView(props: ProgressProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [steps, setSteps] = useState<Step[]>([]);
  const [error, setError] = useState<unknown>();
  const [result, setResult] = useState<FlowResult>();
  const [running, setRunning] = useState(false);
  const known = useRef(props.known);
  const token = useRef(props.token);
  const started = useRef(false);

  const run = useCallback(async () => {
    const input: FlowInput = {
      agent: props.agent, issuance: props.issuance, token: token.current, templates: props.templates,
      adminPin: props.adminPin, userPin: props.userPin, label: props.label, skipInit: props.skipInit, extraAreas: props.extraAreas,
      resume: known.current,
      onToken: (tk) => {
        token.current = tk;
      },
      onUserPin: (userPin, random) => {
        known.current = { userPin, random };
        props.remember(props.issuance.id, known.current);
      },
    };
    setSteps(planSteps(input));
    setError(undefined);
    setRunning(true);
    const onStep = (key: string, status: StepStatus) => setSteps((s) => s.map((x) => (x.key === key ? { ...x, status } : x)));
    try {
      setResult(await runIssuance(input, onStep));
    } catch (e) {
      setError(e);
    } finally {
      setRunning(false);
      void qc.invalidateQueries({ queryKey: selfServiceKeys.all });
    }
  }, [props, qc]);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void run();
  }, [run]);

  const close = () => {
    setResult(undefined); // the PIN leaves the page with the dialog
    props.onClose();
  };

  const list = (
    <Steps
      direction="vertical"
      size="small"
      data-testid={TID.issueProgress}
      items={steps.map((s) => ({
        key: s.key,
        status: s.status,
        title: (
          <span data-step={s.key} data-status={s.status}>
            {s.key.startsWith('cert:') ? t('selfService.steps.cert', { name: s.templateName })
              : s.key.startsWith('area:') ? t('selfService.steps.area', { name: s.templateName }) : t(`selfService.steps.${s.key}`)}
          </span>
        ),
      }))}
    />
  );

  if (result) {
    const pin = result.randomPin;
    return (
      <div data-testid={TID.issueDone}>
        <Result status="success" title={t('selfService.steps.done')} style={{ padding: 16 }} />
        {list}
        {pin && (
          <Alert
            type="warning"
            showIcon
            message={t('selfService.steps.pinTitle')}
            description={
              <Space direction="vertical">
                <Typography.Text code strong style={{ fontSize: 20 }} data-testid={TID.issuePin}>{pin}</Typography.Text>
                <Typography.Text>{t('selfService.steps.pinOnce')}</Typography.Text>
                <Button
                  data-testid={TID.issuePinCopy}
                  onClick={() => void copyText(pin).then((ok) => ok && message.success(t('selfService.steps.copied')))}
                >
                  {t('selfService.steps.copy')}
                </Button>
              </Space>
            }
          />
        )}
        {result.mailedTo && result.mailedTo.length > 0 && (
          <Alert type="info" showIcon style={{ marginTop: 12 }} message={t('selfService.steps.mailedTo', { to: result.mailedTo.join(', ') })} />
        )}
        {result.mailError !== undefined && (
          <Alert type="error" showIcon style={{ marginTop: 12 }} message={t('selfService.steps.mailFailed', { reason: errorMessage(t, result.mailError) })} />
        )}
        <div style={{ textAlign: 'right', marginTop: 16 }}>
          <Button type="primary" data-testid={TID.issueClose} onClick={close}>{t('selfService.issue.close')}</Button>
        </div>
      </div>
    );
  }

  return (
    <div>
      {list}
      {error !== undefined && !running && (
        <Alert
          type="error"
          showIcon
          data-testid={TID.issueError}
          message={t('selfService.steps.failed')}
          description={
            <>
              <div>{agentMessage(t, error)}</div>
              <div>{t('selfService.steps.failedHelp')}</div>
            </>
          }
        />
      )}
      <div style={{ textAlign: 'right', marginTop: 16 }}>
        <Space>
          {error !== undefined && !running && (
            <Button type="primary" data-testid={TID.issueContinue} onClick={() => void run()}>{t('selfService.devices.continue')}</Button>
          )}
          <Button data-testid={TID.issueClose} disabled={running} onClick={close}>{t('selfService.issue.close')}</Button>
        </Space>
      </div>
    </div>
  );
}
