// The dialog that proves the person before a change to their second factor: a current
// code from the app, or (when allowed) the password instead.
import { useTranslation } from 'react-i18next';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import Modal from 'antd/es/modal';
import { placeOrNotify } from '../../../lib/errors';

export interface ProveValues {
  code?: string;
  password?: string;
}

interface ProveDialogProps {
  open: boolean;
  title: string;
  intro: string;
  okText: string;
  allowPassword: boolean;
  danger?: boolean;
  onSubmit: (v: ProveValues) => Promise<void>;
  onClose: () => void;
  onError: (message: string) => void;
}

export function ProveDialog({ open, title, intro, okText, allowPassword, danger, onSubmit, onClose, onError }: ProveDialogProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ProveValues>();
  const submit = async () => {
    const v = await form.validateFields();
    const body: ProveValues = v.code?.trim() ? { code: v.code.replace(/\s/g, '') } : { password: v.password };
    try {
      await onSubmit(body);
      form.resetFields();
      onClose();
    } catch (e) {
      placeOrNotify(t, form, e, onError);
    }
  };
  const oneOf = ({ getFieldValue }: { getFieldValue: (n: string) => unknown }) => ({
    validator: () =>
      getFieldValue('code') || getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(t('fieldErrors.required'))),
  });
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      okButtonProps={{ danger }}
      cancelText={t('security.cancel')}
      onOk={() => void submit()}
      onCancel={() => {
        form.resetFields();
        onClose();
      }}
      destroyOnHidden
    >
      <p>{intro}</p>
      <Form form={form} layout="vertical" requiredMark={false} onFinish={() => void submit()}>
        <Form.Item name="code" label={t('security.code')} rules={allowPassword ? [oneOf] : [{ required: true, message: t('fieldErrors.required') }]}>
          <Input autoComplete="one-time-code" inputMode="numeric" maxLength={8} />
        </Form.Item>
        {allowPassword && (
          <Form.Item name="password" label={t('security.orPassword')}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
