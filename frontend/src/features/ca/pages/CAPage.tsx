// The certificate authority: what it is, ca.crt to download, the CRL and OCSP addresses
// to copy, importing another CA (settings.write), and how to install ca.crt and a .p12.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Descriptions from 'antd/es/descriptions';
import Tag from 'antd/es/tag';
import Typography from 'antd/es/typography';
import { DownloadOutlined, ImportOutlined } from '@ant-design/icons';
import { PageSpinner } from '../../../app/PageSpinner';
import { PageHeader } from '../../../components/PageHeader';
import { PermissionGate } from '../../../components/PermissionGate';
import { errorMessage } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { TID } from '../../../testids';
import { useCA } from '../api/ca';
import { ImportCaDialog } from '../components/ImportCaDialog';
import { InstallHowTo } from '../components/InstallHowTo';

export function CAPage() {
  const { t } = useTranslation();
  const ca = useCA();
  const [importing, setImporting] = useState(false);
  const copy = (text: string) => ({ text, tooltips: [t('ca.copy'), t('ca.copied')] });
  const actions = (
    <>
      {ca.data && (
        <Button icon={<DownloadOutlined />} href={ca.data.ca_crt_url} download="ca.crt" data-testid={TID.caDownload}>
          {t('ca.download')}
        </Button>
      )}
      <PermissionGate permission="settings.write">
        <Button icon={<ImportOutlined />} onClick={() => setImporting(true)} data-testid={TID.caImport}>
          {t('ca.import')}
        </Button>
      </PermissionGate>
    </>
  );
  return (
    <>
      <PageHeader title={t('ca.title')} extra={actions} />
      <Typography.Paragraph type="secondary">{t('ca.intro')}</Typography.Paragraph>
      {ca.isPending && <PageSpinner />}
      {ca.isError && <Alert type="error" showIcon message={errorMessage(t, ca.error)} />}
      {ca.data && (
        <Descriptions bordered column={1} size="small" style={{ maxWidth: 960, marginBottom: 24 }} data-testid={TID.caInfo}>
          <Descriptions.Item label={t('ca.subject')}>
            {ca.data.subject} {ca.data.imported ? <Tag color="blue">{t('ca.importedTag')}</Tag> : <Tag>{t('ca.generatedTag')}</Tag>}
          </Descriptions.Item>
          <Descriptions.Item label={t('ca.fingerprint')}>
            <Typography.Text code copyable={copy(ca.data.fingerprint_sha256)} style={{ wordBreak: 'break-all' }} data-testid={TID.caFingerprint}>
              {ca.data.fingerprint_sha256}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('ca.serial')}>
            <Typography.Text code>{ca.data.serial}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('ca.keyAlgorithm')}>{ca.data.key_algorithm}</Descriptions.Item>
          <Descriptions.Item label={t('ca.validity')}>
            {formatDateTime(ca.data.not_before)} — {formatDateTime(ca.data.not_after)}
          </Descriptions.Item>
          <Descriptions.Item label={t('ca.caCrtUrl')}>
            <Typography.Text copyable={copy(ca.data.ca_crt_url)}>{ca.data.ca_crt_url}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('ca.crlUrl')}>
            <Typography.Text copyable={copy(ca.data.crl_url)} data-testid={TID.caCrlUrl}>
              {ca.data.crl_url}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('ca.ocspUrl')}>
            <Typography.Text copyable={copy(ca.data.ocsp_url)} data-testid={TID.caOcspUrl}>
              {ca.data.ocsp_url}
            </Typography.Text>
          </Descriptions.Item>
        </Descriptions>
      )}
      <InstallHowTo />
      <ImportCaDialog open={importing} onClose={() => setImporting(false)} />
    </>
  );
}
