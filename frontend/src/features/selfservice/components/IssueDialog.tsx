// «Выпустить устройство» and «Продолжить выпуск устройства»: the request (POST /me/issuances)
// → «Выпуск устройства ожидает решения» when an operator must approve, else the device steps
// through the agent at once. Continue runs the device steps of an approved or stopped one.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import App from 'antd/es/app';
import Button from 'antd/es/button';
import Form from 'antd/es/form';
import Modal from 'antd/es/modal';
import Result from 'antd/es/result';
import { FormSelect } from '../../../components/FormSelect';
import Typography from 'antd/es/typography';
import { placeOrNotify } from '../../../lib/errors';
import type { AgentToken } from '../../../lib/agent';
import { TID } from '../../../testids';
import { useCreateIssuance } from '../api/selfservice';
import type { Issuance, IssuanceInput, IssuanceOptions, MyDevice, SMEVForm, SMEVPerson } from '../api/types';
import type { ExtraArea } from '../lib/flow';
import type { AgentView } from '../lib/useAgent';
import { PinFields, SkziFields, SmevFields, TemplateFields, TokenSelect } from './IssueFields';
import { ProgressView } from './ProgressView';

export type KnownPin = { userPin: string; random: boolean };

export interface IssueDialogProps {
  agent: AgentView;
  options: IssuanceOptions;
  smev?: SMEVForm;
  devices: MyDevice[];
  /** Continue this issuance instead of asking for a new one. */
  issuance?: Issuance;
  known?: KnownPin;
  remember: (issuanceId: string, pin: KnownPin) => void;
  onClose: () => void;
}

interface Values {
  device_type_id?: string;
  token_ref?: string;
  template_ids?: string[];
  skzi_number?: string;
  skzi_date?: string;
  smev?: SMEVPerson;
  admin_pins?: Record<string, string | undefined>;
  user_pins?: Record<string, string | undefined>;
  area_tokens?: Record<string, string | undefined>;
}

interface Run {
  issuance: Issuance;
  token: AgentToken;
  adminPin: string;
  userPin: string;
  skipInit: boolean;
  extraAreas: ExtraArea[];
}

function firstPin(pins: Record<string, string | undefined> | undefined, area?: string): string {
  return (area ? pins?.[area] : Object.values(pins ?? {})[0]) ?? '';
}

export function IssueDialog(props: IssueDialogProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { agent, options, smev, devices, issuance: continuing, known } = props;
  const [form] = Form.useForm<Values>();
  const create = useCreateIssuance();
  const [phase, setPhase] = useState<'form' | 'pending'>('form');
  const [run, setRun] = useState<Run>();
  const policy = options.policy;
  const tokens = agent.state === 'paired' ? agent.tokens : [];
  const typeId = Form.useWatch('device_type_id', form) ?? continuing?.device_type_id;
  const tokenRef = Form.useWatch('token_ref', form);
  const chosen: string[] | undefined = Form.useWatch('template_ids', form);
  const type = options.device_types.find((d) => d.id === typeId);
  const token = tokens.find((tk) => tk.ref === tokenRef);
  // A token issued already (as one of the caller's devices) is not written again: the
  // server refuses its serial (device.serialTaken) until the device is revoked.
  const issuedAs = token?.serial ? devices.find((d) => d.serial === token.serial && d.status !== 'revoked') : undefined;
  const snapshot = continuing?.policy;
  const approval = !continuing && !!policy?.approval_required;
  const initialises = continuing ? snapshot?.initialise_before_issuance && continuing.state === 'approved' : policy?.initialise_before_issuance;
  const randomLength = (continuing ? snapshot?.random_user_pin && snapshot.random_user_pin_length : policy?.random_user_pin?.enabled && policy.random_user_pin.length) || undefined;
  const templateIds = chosen ?? options.templates.map((tp) => tp.id);
  const showSmev = !continuing && !!policy?.smev_check && !!smev?.required &&
    options.templates.some((tp) => tp.qualified && templateIds.includes(tp.id));

  const start = (iss: Issuance, v: Values) => {
    const tk = tokens.find((x) => x.ref === v.token_ref);
    if (!tk) return;
    const [first, ...rest] = type?.pin_areas ?? [];
    const extraAreas = rest.flatMap((a): ExtraArea[] => {
      const at = tokens.find((x) => x.ref === v.area_tokens?.[a.code]);
      return at ? [{ code: a.code, name: a.name, token: at, adminPin: v.admin_pins?.[a.code] ?? '', userPin: v.user_pins?.[a.code] ?? '' }] : [];
    });
    setRun({ issuance: iss, token: tk, adminPin: firstPin(v.admin_pins, first?.code), userPin: firstPin(v.user_pins, first?.code),
      skipInit: iss.state !== 'approved', extraAreas });
  };

  const submit = (v: Values) => {
    if (continuing) {
      start(continuing, v);
      return;
    }
    const body: IssuanceInput = { device_type_id: v.device_type_id ?? '' };
    if (policy?.user_may_choose_templates) body.template_ids = v.template_ids;
    if (policy?.skzi_accounting) Object.assign(body, { skzi_number: v.skzi_number?.trim(), skzi_date: v.skzi_date });
    if (showSmev && v.smev) body.smev = v.smev;
    create.mutate(body, {
      onSuccess: (iss) => {
        if (iss.state === 'approved') start(iss, v);
        else setPhase('pending');
      },
      onError: (e) => placeOrNotify(t, form, e, (m) => void message.error(m)),
    });
  };

  const title = continuing ? t('selfService.issue.continueTitle') : t('selfService.issue.title');
  let body;
  if (run) {
    body = (
      <ProgressView
        agent={agent.client} issuance={run.issuance} token={run.token} templates={options.templates}
        adminPin={run.adminPin} userPin={run.userPin} skipInit={run.skipInit} extraAreas={run.extraAreas} known={known}
        label={(type?.name ?? 'Custos').slice(0, 32)} remember={props.remember} onClose={props.onClose}
      />
    );
  } else if (phase === 'pending') {
    body = (
      <div data-testid={TID.issuePending}>
        <Result status="info" title={t('selfService.issue.pending')} subTitle={t('selfService.issue.pendingHelp')} />
        <div style={{ textAlign: 'right' }}>
          <Button type="primary" data-testid={TID.issueClose} onClick={props.onClose}>{t('selfService.issue.close')}</Button>
        </div>
      </div>
    );
  } else {
    const initial: Values = {
      device_type_id: continuing?.device_type_id ?? (options.device_types.length === 1 ? options.device_types[0]?.id : undefined),
      token_ref: tokens.length === 1 ? tokens[0]?.ref : undefined,
      template_ids: options.templates.map((tp) => tp.id),
      smev: smev?.form,
    };
    const needsToken = !approval;
    body = (
      <Form form={form} layout="vertical" initialValues={initial} onFinish={submit} autoComplete="off">
        {continuing ? (
          <Typography.Paragraph>{t('selfService.issue.continueHelp')}</Typography.Paragraph>
        ) : (
          <Form.Item name="device_type_id" label={t('selfService.issue.deviceType')} rules={[{ required: true }]}>
            <FormSelect data-testid={TID.issueDeviceType} options={options.device_types.map((d) => ({ value: d.id, label: d.name }))} />
          </Form.Item>
        )}
        {needsToken && <TokenSelect tokens={tokens} areas={known ? [] : type?.pin_areas} />}
        {needsToken && issuedAs && (
          <Alert type="error" showIcon data-testid={TID.issueTokenIssued} style={{ marginBottom: 16 }}
            message={t('selfService.issue.tokenIssued', { serial: issuedAs.serial, name: issuedAs.label || issuedAs.serial })} />
        )}
        {!continuing && <TemplateFields options={options} />}
        {initialises && <Alert type="warning" showIcon data-testid={TID.issueWipeWarning} style={{ marginBottom: 16 }} message={t('selfService.issue.wipeWarning')} />}
        {approval && <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('selfService.issue.approvalNote')} />}
        {!continuing && policy?.skzi_accounting && <SkziFields />}
        {showSmev && smev && <SmevFields smev={smev} />}
        {!known && needsToken && <PinFields type={type} randomLength={randomLength} />}
        <div style={{ textAlign: 'right' }}>
          <Button onClick={props.onClose} style={{ marginRight: 8 }}>{t('selfService.issue.close')}</Button>
          <Button type="primary" htmlType="submit" data-testid={TID.issueSubmit} loading={create.isPending} disabled={needsToken && (tokens.length === 0 || !!issuedAs)}>
            {continuing ? t('selfService.issue.run') : t('selfService.issue.submit')}
          </Button>
        </div>
      </Form>
    );
  }

  return (
    <Modal open title={title} footer={null} width={720} destroyOnHidden maskClosable={false} closable={!run} onCancel={props.onClose}>
      <div data-testid={TID.issueDialog}>{body}</div>
    </Modal>
  );
}
