// «Сгенерировать ключевую пару и сертификат»: WebCrypto makes the key pair in this page
// (ECDSA P-256 by default, RSA 2048/3072), only the PKCS#10 request goes to the server,
// and the answer is shown with the private key offered once as privateKey.pem. The key
// lives in this dialog's state only: closing it, or reloading the page, loses it. The admin's
// system page and the client cabinet both use it, each with its own issue function.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Form from 'antd/es/form';
import InputNumber from 'antd/es/input-number';
import Modal from 'antd/es/modal';
import Radio from 'antd/es/radio';
import Typography from 'antd/es/typography';
import { placeOrNotify } from '../../lib/errors';
import type { KeyAlgorithm } from '../../lib/keygen';
import { TID } from '../../testids';
import { DownloadLink } from './DownloadLink';
import { PemView } from './PemView';

export const DEFAULT_VALIDITY_DAYS = 365;

/** IssueFromCsr sends the request and answers the issued certificate's PEM. */
export type IssueFromCsr = (input: { csr: string; validity_days: number }) => Promise<{ pem: string }>;

interface Values {
  algorithm: KeyAlgorithm;
  validity_days: number;
}

interface Result {
  cert: { pem: string };
  privateKeyPem: string;
}

interface GenerateKeyDialogProps {
  /** The request's common name (the system's name; the CA writes the subject itself). */
  systemName: string;
  issue: IssueFromCsr;
  open: boolean;
  onClose: () => void;
  title?: string;
}

export function GenerateKeyDialog({ systemName, issue, open, onClose, title }: GenerateKeyDialogProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<Result | null>(null);

  const close = () => {
    setResult(null);
    setError(null);
    onClose();
  };

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      const { generateKeyAndCsr } = await import('../../lib/keygen');
      const made = await generateKeyAndCsr(v.algorithm, systemName);
      const cert = await issue({ csr: made.csrPem, validity_days: v.validity_days });
      setResult({ cert, privateKeyPem: made.privateKeyPem });
    } catch (e) {
      placeOrNotify(t, form, e, setError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={title ?? t('systems.certs.generate')}
      onCancel={close}
      maskClosable={false}
      destroyOnHidden
      width={720}
      wrapProps={{ 'data-testid': TID.certGenerateDialog }}
      footer={
        result ? (
          <Button type="primary" onClick={close}>
            {t('systems.certs.keySaved')}
          </Button>
        ) : (
          <>
            <Button onClick={close}>{t('common.cancel')}</Button>
            <Button type="primary" loading={busy} onClick={() => form.submit()}>
              {t('systems.certs.generateSubmit')}
            </Button>
          </>
        )
      }
    >
      {result ? (
        <>
          <Typography.Paragraph>{t('systems.certs.generatedIntro')}</Typography.Paragraph>
          <PemView pem={result.cert.pem} label={t('systems.certs.certificatePem')} testId={TID.certPem} copyTestId={TID.certPemCopy} />
          <Alert
            type="warning"
            showIcon
            style={{ margin: '16px 0' }}
            message={t('systems.certs.keyWarningTitle')}
            description={t('systems.certs.keyWarning')}
            data-testid={TID.certKeyWarning}
          />
          <DownloadLink data={result.privateKeyPem} type="application/x-pem-file" name="privateKey.pem" testId={TID.certKeyDownload} />
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
            {t('systems.certs.keySecret')}
          </Typography.Paragraph>
        </>
      ) : (
        <Form<Values> form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ algorithm: 'ecdsa-p256', validity_days: DEFAULT_VALIDITY_DAYS }}>
          <Typography.Paragraph type="secondary">{t('systems.certs.generateIntro')}</Typography.Paragraph>
          <Form.Item label={t('systems.certs.algorithm')} name="algorithm">
            <Radio.Group
              data-testid={TID.certAlgorithm}
              options={[
                { value: 'ecdsa-p256', label: t('systems.certs.algorithms.ecdsa-p256') },
                { value: 'rsa-2048', label: 'RSA 2048' },
                { value: 'rsa-3072', label: 'RSA 3072' },
              ]}
            />
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
