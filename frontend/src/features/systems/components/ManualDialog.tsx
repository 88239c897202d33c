// «Добавить сертификат вручную»: a PEM certificate issued elsewhere (self-signed, or
// another CA's), trusted for this system by its SHA-256 fingerprint. The server's field
// errors land on the field.
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
import { useAddCertificate } from '../api/systems';

interface Values {
  pem: string;
}

interface ManualDialogProps {
  systemId: string;
  open: boolean;
  onClose: () => void;
}

export function ManualDialog({ systemId, open, onClose }: ManualDialogProps) {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const [form] = Form.useForm<Values>();
  const add = useAddCertificate(systemId);
  const [error, setError] = useState<string | null>(null);

  const close = () => {
    setError(null);
    onClose();
  };

  const submit = async (v: Values) => {
    setError(null);
    try {
      const cert = await add.mutateAsync({ method: 'manual', pem: v.pem });
      notification.success({ message: t('systems.certs.added', { subject: cert.subject }) });
      close();
    } catch (e) {
      placeOrNotify(t, form, e, setError);
    }
  };

  return (
    <Modal
      open={open}
      title={t('systems.certs.manual')}
      okText={t('systems.certs.manualSubmit')}
      cancelText={t('common.cancel')}
      confirmLoading={add.isPending}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
      width={640}
      wrapProps={{ 'data-testid': TID.certManualDialog }}
    >
      <Form<Values> form={form} layout="vertical" onFinish={(v) => void submit(v)} preserve={false}>
        <Typography.Paragraph type="secondary">{t('systems.certs.manualIntro')}</Typography.Paragraph>
        <Form.Item label={t('systems.certs.manualPem')} name="pem" rules={[{ required: true, whitespace: true, message: t('fieldErrors.required') }]}>
          <Input.TextArea rows={10} spellCheck={false} autoComplete="off" placeholder="-----BEGIN CERTIFICATE-----" style={{ fontFamily: 'monospace', fontSize: 12 }} />
        </Form.Item>
        {error && <Alert type="error" showIcon message={error} />}
      </Form>
    </Modal>
  );
}
