// Every switch of a usage policy, grouped: self-service, PINs, secret questions, SKZI,
// approval, SMEV and templates. A dependent field shows only when its switch is on.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import Card from 'antd/es/card';
import Form from 'antd/es/form';
import InputNumber from 'antd/es/input-number';
import Switch from 'antd/es/switch';
import { FormSelect } from '../../../components/FormSelect';
import { TID } from '../../../testids';
import { useTemplateOptions } from '../api/catalogue';

function Group({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <Card size="small" title={title} data-testid={testId} style={{ marginBottom: 12 }}>
      {children}
    </Card>
  );
}

function Toggle({ name, label, hint }: { name: string | string[]; label: string; hint?: string }) {
  return (
    <Form.Item name={name} label={label} valuePropName="checked" extra={hint} style={{ marginBottom: 12 }}>
      <Switch />
    </Form.Item>
  );
}

export function PolicySwitches() {
  const { t } = useTranslation();
  const tpl = useTemplateOptions();
  const pin = Form.useWatch(['random_user_pin', 'enabled']) as boolean | undefined;
  const smev = Form.useWatch('smev_check') as boolean | undefined;
  return (
    <>
      <Group title={t('devices.policies.groupSelf')} testId={TID.policyGroupSelf}>
        <Toggle name="self_issuance_allowed" label={t('devices.policies.selfIssuance')} hint={t('devices.policies.selfIssuanceHint')} />
        <Toggle name="initialise_before_issuance" label={t('devices.policies.initialise')} hint={t('devices.policies.initialiseHint')} />
      </Group>
      <Group title={t('devices.policies.groupPins')} testId={TID.policyGroupPins}>
        <Toggle name={['random_user_pin', 'enabled']} label={t('devices.policies.randomPin')} hint={t('devices.policies.randomPinHint')} />
        {pin && (
          <>
            <Form.Item name={['random_user_pin', 'length']} label={t('devices.policies.randomPinLength')} rules={[{ required: true, message: t('fieldErrors.required') }]}>
              <InputNumber min={4} max={64} />
            </Form.Item>
            <Toggle name={['random_user_pin', 'show_once']} label={t('devices.policies.showOnce')} />
            <Toggle name={['random_user_pin', 'email_user']} label={t('devices.policies.emailUser')} />
            <Toggle name={['random_user_pin', 'email_manager']} label={t('devices.policies.emailManager')} />
          </>
        )}
      </Group>
      <Group title={t('devices.policies.groupQuestions')} testId={TID.policyGroupQuestions}>
        <Form.Item name="secret_questions_required" label={t('devices.policies.questions')} extra={t('devices.policies.questionsHint')}>
          <InputNumber min={0} max={10} />
        </Form.Item>
      </Group>
      <Group title={t('devices.policies.groupSkzi')} testId={TID.policyGroupSkzi}>
        <Toggle name="skzi_accounting" label={t('devices.policies.skzi')} hint={t('devices.policies.skziHint')} />
      </Group>
      <Group title={t('devices.policies.groupApproval')} testId={TID.policyGroupApproval}>
        <Toggle name="approval_required" label={t('devices.policies.approval')} hint={t('devices.policies.approvalHint')} />
      </Group>
      <Group title={t('devices.policies.groupSmev')} testId={TID.policyGroupSmev}>
        <Toggle name="smev_check" label={t('devices.policies.smev')} hint={t('devices.policies.smevHint')} />
        {smev && <Toggle name="smev_form_editable" label={t('devices.policies.smevEditable')} />}
      </Group>
      <Group title={t('devices.policies.groupTemplates')} testId={TID.policyGroupTemplates}>
        <Form.Item name="template_ids" label={t('devices.policies.templates')}>
          <FormSelect
            mode="multiple"
            allowClear
            optionFilterProp="label"
            loading={tpl.isPending}
            options={(tpl.data?.items ?? []).map((x) => ({ value: x.id, label: x.name }))}
          />
        </Form.Item>
        <Toggle name="user_may_choose_templates" label={t('devices.policies.userChooses')} />
      </Group>
    </>
  );
}
