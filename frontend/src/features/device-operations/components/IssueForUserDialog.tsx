// Issue a device for a user: the user, the device type, the certificates among those of the
// user's usage policy, and the SKZI document when the policy keeps the accounting.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import App from 'antd/es/app';
import DatePicker from 'antd/es/date-picker';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import Modal from 'antd/es/modal';
import dayjs, { type Dayjs } from 'dayjs';
import { FormSelect } from '../../../components/FormSelect';
import { errorMessage, placeOrNotify } from '../../../lib/errors';
import { TID } from '../../../testids';
import { useDeviceTypeOptions, useIssueForUser, useTemplateOptions, useUserPolicy, useUserSearch, type Issuance } from '../api/operations';

interface Values {
  user_id?: string;
  device_type_id?: string;
  template_ids?: string[];
  skzi_number?: string;
  skzi_date?: Dayjs | null;
}

export function IssueForUserDialog({ open, onClose, onIssued }: { open: boolean; onClose: () => void; onIssued: (i: Issuance) => void }) {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [q, setQ] = useState('');
  const users = useUserSearch(q);
  const types = useDeviceTypeOptions();
  const tpls = useTemplateOptions();
  const userId = Form.useWatch('user_id', form);
  const policy = useUserPolicy(userId);
  const p = policy.data?.policy;
  const tplName = new Map((tpls.data?.items ?? []).map((x) => [x.id, x.name]));
  const issue = useIssueForUser();
  const required = { required: true, message: t('fieldErrors.required') };

  const submit = async (v: Values) => {
    try {
      const created = await issue.mutateAsync({
        user_id: v.user_id ?? '',
        device_type_id: v.device_type_id ?? '',
        template_ids: v.template_ids?.length ? v.template_ids : undefined,
        skzi_number: p?.skzi_accounting ? (v.skzi_number ?? '').trim() : undefined,
        skzi_date: p?.skzi_accounting && v.skzi_date ? v.skzi_date.format('YYYY-MM-DD') : undefined,
      });
      notification.success({ message: t('devices.issuances.issued') });
      onIssued(created);
    } catch (e) {
      placeOrNotify(t, form, e, (message) => notification.error({ message }));
    }
  };

  return (
    <Modal
      open={open}
      title={t('devices.issuances.issueForUser')}
      okText={t('devices.issuances.issue')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: issue.isPending, disabled: !!userId && policy.isSuccess && !p }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      wrapProps={{ 'data-testid': TID.issueForUserDialog }}
    >
      <Form form={form} layout="vertical" preserve={false} onFinish={(v) => void submit(v)}>
        <Form.Item name="user_id" label={t('devices.user')} rules={[required]}>
          <FormSelect
            showSearch
            filterOption={false}
            onSearch={setQ}
            loading={users.isFetching}
            onChange={() => form.setFieldValue('template_ids', [])}
            options={(users.data?.items ?? []).map((u) => ({ value: u.id, label: u.display_name ? `${u.login} (${u.display_name})` : u.login }))}
          />
        </Form.Item>
        {userId && policy.isSuccess && (
          <Alert
            style={{ marginBottom: 16 }}
            type={p ? 'info' : 'warning'}
            showIcon
            data-testid={TID.issueForUserPolicy}
            message={p ? t('devices.issuances.userPolicy', { name: p.name }) : t('devices.issuances.noPolicy')}
          />
        )}
        {policy.isError && <Alert style={{ marginBottom: 16 }} type="error" showIcon message={errorMessage(t, policy.error)} />}
        <Form.Item name="device_type_id" label={t('devices.deviceType')} rules={[required]}>
          <FormSelect loading={types.isPending} options={(types.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))} />
        </Form.Item>
        {p && (
          <Form.Item name="template_ids" label={t('devices.issuances.templates')} extra={t('devices.issuances.templatesHint')}>
            <FormSelect mode="multiple" allowClear options={p.template_ids.map((id) => ({ value: id, label: tplName.get(id) ?? id }))} />
          </Form.Item>
        )}
        {p?.skzi_accounting && (
          <>
            <Form.Item name="skzi_number" label={t('devices.skziNumber')} rules={[{ ...required, whitespace: true }]}>
              <Input autoComplete="off" maxLength={200} />
            </Form.Item>
            <Form.Item name="skzi_date" label={t('devices.skziDate')} rules={[required]}>
              <DatePicker format="YYYY-MM-DD" disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}
