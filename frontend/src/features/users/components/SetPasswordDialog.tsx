import { useTranslation } from 'react-i18next';
import App from 'antd/es/app';
import Checkbox from 'antd/es/checkbox';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import Modal from 'antd/es/modal';
import { placeOrNotify } from '../../../lib/errors';
import { TID } from '../../../testids';
import { useSetPassword } from '../api/users';

interface SetPasswordDialogProps {
  userId: string;
  open: boolean;
  onClose: () => void;
}

interface Values {
  password: string;
  confirm: string;
  revoke_tokens: boolean;
}

/**
 * SetPasswordDialog sets a user's local password (POST /users/{id}/password). The reset
 * ends every session of the user and, unless unticked, revokes their personal access tokens.
 */
export function SetPasswordDialog({ userId, open, onClose }: SetPasswordDialogProps) {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const [form] = Form.useForm<Values>();
  const setPassword = useSetPassword();
  const submit = async (v: Values) => {
    try {
      await setPassword.mutateAsync({ id: userId, password: v.password, revokeTokens: v.revoke_tokens });
      notification.success({ message: t('users.passwordSet') });
      form.resetFields();
      onClose();
    } catch (e) {
      placeOrNotify(t, form, e, (message) => notification.error({ message }));
    }
  };
  return (
    <Modal
      open={open}
      title={t('users.setPassword')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={setPassword.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      wrapProps={{ 'data-testid': TID.userSetPasswordDialog }}
    >
      <Form<Values> form={form} layout="vertical" onFinish={submit} preserve={false} initialValues={{ revoke_tokens: true }}>
        <Form.Item label={t('users.newPassword')} name="password" rules={[{ required: true, message: t('fieldErrors.required') }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          label={t('users.confirmPassword')}
          name="confirm"
          dependencies={['password']}
          rules={[
            { required: true, message: t('fieldErrors.required') },
            ({ getFieldValue }) => ({
              validator: (_r, value) =>
                !value || getFieldValue('password') === value ? Promise.resolve() : Promise.reject(new Error(t('users.passwordMismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="revoke_tokens" valuePropName="checked" extra={t('users.resetEndsSessions')} style={{ marginBottom: 0 }}>
          <Checkbox data-testid={TID.userSetPasswordRevokeTokens}>{t('users.revokeTokens')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}
