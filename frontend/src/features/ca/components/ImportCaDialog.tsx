// Import a CA: its certificate and private key (PEM). The server checks it is a CA, the key
// matches and it has not expired; the key is stored encrypted and never shown again.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import App from 'antd/es/app';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import Modal from 'antd/es/modal';
import Typography from 'antd/es/typography';
import { placeOrNotify } from '../../../lib/errors';
import { TID } from '../../../testids';
import { useImportCA, type CAImport } from '../api/ca';

export function ImportCaDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const [form] = Form.useForm<CAImport>();
  const imp = useImportCA();
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    setError(null);
    onClose();
  };
  const submit = async (v: CAImport) => {
    setError(null);
    try {
      await imp.mutateAsync(v);
      notification.success({ message: t('ca.imported') });
      close();
    } catch (e) {
      placeOrNotify(t, form, e, setError);
    }
  };
  const pem = { fontFamily: 'monospace', fontSize: 12 };
  const required = { required: true, whitespace: true, message: t('fieldErrors.required') };
  return (
    <Modal
      open={open}
      title={t('ca.importTitle')}
      okText={t('ca.importSubmit')}
      cancelText={t('common.cancel')}
      confirmLoading={imp.isPending}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
      width={680}
      wrapProps={{ 'data-testid': TID.caImportDialog }}
    >
      <Form<CAImport> form={form} layout="vertical" onFinish={(v) => void submit(v)} preserve={false}>
        <Typography.Paragraph type="secondary">{t('ca.importIntro')}</Typography.Paragraph>
        <Form.Item label={t('ca.importCertificate')} name="certificate" rules={[required]}>
          <Input.TextArea rows={6} spellCheck={false} autoComplete="off" placeholder="-----BEGIN CERTIFICATE-----" style={pem} />
        </Form.Item>
        <Form.Item label={t('ca.importKey')} name="private_key" rules={[required]} extra={t('ca.importKeyHint')}>
          <Input.TextArea rows={6} spellCheck={false} autoComplete="off" placeholder="-----BEGIN PRIVATE KEY-----" style={pem} />
        </Form.Item>
        {error && <Alert type="error" showIcon message={error} />}
      </Form>
    </Modal>
  );
}
