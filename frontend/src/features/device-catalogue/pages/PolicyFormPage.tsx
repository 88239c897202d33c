// A device usage policy: name, priority, the groups it applies to and its switches.
import { useTranslation } from 'react-i18next';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import InputNumber from 'antd/es/input-number';
import { EntityFormShell, useCrudFormPage } from '../../../components/EntityForm';
import { FormSelect } from '../../../components/FormSelect';
import { TID } from '../../../testids';
import { policies, useGroupOptions, type DevicePolicy, type DevicePolicyInput, type DevicePolicyPatch } from '../api/catalogue';
import { PolicySwitches } from '../components/PolicySwitches';

type Values = Omit<DevicePolicyInput, 'description'> & { description: string };

const empty: Values = {
  name: '',
  description: '',
  priority: 100,
  group_ids: [],
  self_issuance_allowed: true,
  initialise_before_issuance: true,
  random_user_pin: { enabled: false, length: 8, show_once: true, email_user: false, email_manager: false },
  secret_questions_required: 0,
  skzi_accounting: false,
  approval_required: false,
  smev_check: false,
  smev_form_editable: false,
  template_ids: [],
  user_may_choose_templates: false,
};

const toValues = (p: DevicePolicy): Values => ({
  name: p.name,
  description: p.description,
  priority: p.priority,
  group_ids: p.group_ids,
  self_issuance_allowed: p.self_issuance_allowed,
  initialise_before_issuance: p.initialise_before_issuance,
  random_user_pin: { ...p.random_user_pin },
  secret_questions_required: p.secret_questions_required,
  skzi_accounting: p.skzi_accounting,
  approval_required: p.approval_required,
  smev_check: p.smev_check,
  smev_form_editable: p.smev_form_editable,
  template_ids: p.template_ids,
  user_may_choose_templates: p.user_may_choose_templates,
});

const toCreate = (v: Values): DevicePolicyInput => {
  const pin = { ...empty.random_user_pin!, ...v.random_user_pin };
  return {
    ...empty,
    ...v,
    name: v.name.trim(),
    random_user_pin: pin,
    smev_form_editable: !!v.smev_check && !!v.smev_form_editable,
    group_ids: v.group_ids ?? [],
    template_ids: v.template_ids ?? [],
  };
};

const toUpdate = (v: Values, version: number): DevicePolicyPatch => ({ version, ...toCreate(v) });

export function PolicyFormPage() {
  const { t } = useTranslation();
  const groups = useGroupOptions();
  const page = useCrudFormPage({ resource: policies, listPath: '/device-policies', writePermission: 'devices.write', toValues, toCreate, toUpdate });
  if (page.placeholder) return page.placeholder;
  const required = { required: true, whitespace: true, message: t('fieldErrors.required') };
  const main = (
    <>
      <Form.Item label={t('devices.policies.name')} name="name" rules={[required, { max: 200, message: t('fieldErrors.tooLong') }]}>
        <Input autoComplete="off" maxLength={200} />
      </Form.Item>
      <Form.Item label={t('devices.policies.description')} name="description">
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
      <Form.Item label={t('devices.policies.priority')} name="priority" extra={t('devices.policies.priorityHint')} rules={[{ required: true, message: t('fieldErrors.required') }]}>
        <InputNumber min={1} max={1000000} />
      </Form.Item>
      <Form.Item label={t('devices.policies.groups')} name="group_ids">
        <FormSelect
          data-testid={TID.policyGroups}
          mode="multiple"
          allowClear
          optionFilterProp="label"
          loading={groups.isPending}
          options={(groups.data?.items ?? []).map((g) => ({ value: g.id, label: g.name }))}
        />
      </Form.Item>
      <PolicySwitches />
    </>
  );
  return (
    <EntityFormShell
      page={page}
      title={page.entity ? t('devices.policies.editTitle', { name: page.entity.name }) : t('devices.policies.newTitle')}
      initialValues={empty}
      main={main}
      resourceType="device_policy"
      maxWidth={760}
      deleteConfirmText={t('devices.policies.deleteConfirm', { name: page.entity?.name ?? '' })}
    />
  );
}
