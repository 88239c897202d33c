// Binding a client certificate to a user: its PEM (pasted) or its SHA-256 fingerprint.
import { useTranslation } from 'react-i18next';
import App from 'antd/es/app';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import Modal from 'antd/es/modal';
import { placeOrNotify } from '../../../lib/errors';
import { useBindCertificate, type BindCertificateInput } from '../api/certificates';

interface BindCertificateDialogProps {
  userId: string;
  open: boolean;
  onClose: () => void;
}

export function BindCertificateDialog({ userId, open, onClose }: BindCertificateDialogProps) {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const [form] = Form.useForm<BindCertificateInput>();
  const bind = useBindCertificate(userId);
  const submit = async (v: BindCertificateInput) => {
    const body: BindCertificateInput = {
      ...(v.pem?.trim() ? { pem: v.pem.trim() } : {}),
      ...(v.fingerprint_sha256?.trim() ? { fingerprint_sha256: v.fingerprint_sha256.trim() } : {}),
      ...(v.comment?.trim() ? { comment: v.comment.trim() } : {}),
    };
    try {
      await bind.mutateAsync(body);
      notification.success({ message: t('users.certificates.bound') });
      form.resetFields();
      onClose();
    } catch (e) {
      placeOrNotify(t, form, e, (message) => notification.error({ message }));
    }
  };
  return (
    <Modal
      open={open}
      title={t('users.certificates.bindTitle')}
      okText={t('users.certificates.bind')}
      cancelText={t('common.cancel')}
      confirmLoading={bind.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<BindCertificateInput>
        form={form}
        layout="vertical"
        onFinish={submit}
        preserve={false}
        // The server's verdict on a field holds until that field is edited.
        onValuesChange={(changed) => form.setFields(Object.keys(changed).map((name) => ({ name: name as keyof BindCertificateInput, errors: [] })))}
      >
        <Form.Item label={t('users.certificates.pem')} name="pem" extra={t('users.certificates.pemHelp')}>
          <Input.TextArea rows={6} spellCheck={false} style={{ fontFamily: 'monospace', fontSize: 12 }} placeholder="-----BEGIN CERTIFICATE-----" />
        </Form.Item>
        <Form.Item label={t('users.certificates.fingerprint')} name="fingerprint_sha256">
          <Input spellCheck={false} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
        <Form.Item label={t('users.certificates.comment')} name="comment" style={{ marginBottom: 0 }}>
          <Input maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
