// «Выпустить пакет для браузера»: the server makes the key and answers, once, a .p12
// (the password may be empty, as seed 000 has it) and ca.crt. Both are offered for
// download from this dialog only; the server keeps no copy of the key.
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import InputNumber from 'antd/es/input-number';
import Modal from 'antd/es/modal';
import Space from 'antd/es/space';
import Typography from 'antd/es/typography';
import { placeOrNotify } from '../../../lib/errors';
import { TID } from '../../../testids';
import { useAddCertificate } from '../api/systems';
import { DEFAULT_VALIDITY_DAYS, type IssuedCertificate } from '../api/types';
import { base64ToBytes, fileName } from '../../../lib/download';
import { DownloadLink } from '../../../components/pki/DownloadLink';

interface Values {
  password: string;
  validity_days: number;
}

interface BundleDialogProps {
  systemId: string;
  systemName: string;
  open: boolean;
  onClose: () => void;
}

export function BundleDialog({ systemId, systemName, open, onClose }: BundleDialogProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const add = useAddCertificate(systemId);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<IssuedCertificate | null>(null);
  const p12 = useMemo(() => (result?.p12 ? base64ToBytes(result.p12) : null), [result]);

  const close = () => {
    setResult(null);
    setError(null);
    onClose();
  };

  const submit = async (v: Values) => {
    setError(null);
    try {
      setResult(await add.mutateAsync({ method: 'p12', password: v.password ?? '', validity_days: v.validity_days }));
    } catch (e) {
      placeOrNotify(t, form, e, setError);
    }
  };

  return (
    <Modal
      open={open}
      title={t('systems.certs.bundle')}
      onCancel={close}
      maskClosable={false}
      destroyOnHidden
      width={640}
      wrapProps={{ 'data-testid': TID.certBundleDialog }}
      footer={
        result ? (
          <Button type="primary" onClick={close}>
            {t('systems.certs.bundleSaved')}
          </Button>
        ) : (
          <>
            <Button onClick={close}>{t('common.cancel')}</Button>
            <Button type="primary" loading={add.isPending} onClick={() => form.submit()}>
              {t('systems.certs.bundleSubmit')}
            </Button>
          </>
        )
      }
    >
      {result ? (
        <>
          <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t('systems.certs.bundleOnce')} />
          <Space direction="vertical">
            {p12 && <DownloadLink data={p12} type="application/x-pkcs12" name={fileName(systemName, '.p12')} testId={TID.certP12Download} />}
            {result.ca_certificate && <DownloadLink data={result.ca_certificate} type="application/x-x509-ca-cert" name="ca.crt" testId={TID.certCaDownload} />}
          </Space>
          <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>
            {t('systems.certs.bundleHowTo')} <Link to="/ca">{t('systems.certs.bundleHowToLink')}</Link>
          </Typography.Paragraph>
        </>
      ) : (
        <Form<Values> form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ password: '', validity_days: DEFAULT_VALIDITY_DAYS }}>
          <Typography.Paragraph type="secondary">{t('systems.certs.bundleIntro')}</Typography.Paragraph>
          <Form.Item label={t('systems.certs.bundlePassword')} name="password" extra={t('systems.certs.bundlePasswordHint')} rules={[{ max: 128, message: t('fieldErrors.tooLong') }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item label={t('systems.certs.validityDays')} name="validity_days" rules={[{ required: true, message: t('fieldErrors.required') }]}>
            <InputNumber min={1} max={3650} precision={0} />
          </Form.Item>
          {error && <Alert type="error" showIcon message={error} />}
        </Form>
      )}
    </Modal>
  );
}
