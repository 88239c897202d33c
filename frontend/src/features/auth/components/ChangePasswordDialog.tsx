// The "Change password" dialog of the user menu: the current password proves it is the
// person, the new one is typed twice. The server's field errors (a wrong current
// password, the password policy) land on their fields; anything else is a notification.
import { useTranslation } from 'react-i18next';
import App from 'antd/es/app';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import Modal from 'antd/es/modal';
import Typography from 'antd/es/typography';
import { placeOrNotify } from '../../../lib/errors';
import { TID } from '../../../testids';
import { useChangePassword } from '../api/sessions';

interface ChangePasswordDialogProps {
  open: boolean;
  onClose: () => void;
}

interface Values {
  current_password: string;
  new_password: string;
  confirm: string;
}

export function ChangePasswordDialog({ open, onClose }: ChangePasswordDialogProps) {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const [form] = Form.useForm<Values>();
  const change = useChangePassword();
  const required = { required: true, message: t('fieldErrors.required') };
  const submit = async (v: Values) => {
    try {
      await change.mutateAsync({ current_password: v.current_password, new_password: v.new_password });
      notification.success({ message: t('account.passwordChanged') });
      form.resetFields();
      onClose();
    } catch (e) {
      placeOrNotify(t, form, e, (message) => notification.error({ message }));
    }
  };
  return (
    <Modal
      open={open}
      title={t('account.changePassword')}
      okText={t('account.changePasswordSubmit')}
      cancelText={t('common.cancel')}
      confirmLoading={change.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      wrapProps={{ 'data-testid': TID.changePasswordDialog }}
    >
      <Typography.Paragraph type="secondary">{t('account.changePasswordIntro')}</Typography.Paragraph>
      <Form<Values> form={form} layout="vertical" onFinish={(v) => void submit(v)} preserve={false} requiredMark={false}>
        <Form.Item label={t('account.currentPassword')} name="current_password" rules={[required]}>
          <Input.Password autoComplete="current-password" autoFocus />
        </Form.Item>
        <Form.Item label={t('account.newPassword')} name="new_password" rules={[required]} extra={t('account.passwordPolicy')}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          label={t('account.confirmPassword')}
          name="confirm"
          dependencies={['new_password']}
          rules={[
            required,
            ({ getFieldValue }) => ({
              validator: (_r, value) =>
                !value || getFieldValue('new_password') === value ? Promise.resolve() : Promise.reject(new Error(t('account.passwordMismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
