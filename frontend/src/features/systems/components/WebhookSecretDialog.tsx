// The webhook secret, shown once after a create or a rotation (the pattern of the access
// tokens' one-time reveal): the value lives only in this dialog's props.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Input from 'antd/es/input';
import Modal from 'antd/es/modal';
import Space from 'antd/es/space';
import Typography from 'antd/es/typography';
import { CheckOutlined, CopyOutlined } from '@ant-design/icons';
import { copyText } from '../../../lib/clipboard';
import { TID } from '../../../testids';
import type { WebhookWithSecret } from '../api/stats';

export function WebhookSecretDialog({ webhook, onClose }: { webhook: WebhookWithSecret | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<boolean | null>(null);
  const close = () => {
    setCopied(null);
    onClose();
  };
  return (
    <Modal
      open={webhook !== null}
      title={t('systems.webhooks.secretTitle')}
      onCancel={close}
      maskClosable={false}
      destroyOnHidden
      width={640}
      wrapProps={{ 'data-testid': TID.webhookSecretDialog }}
      footer={
        <Button type="primary" onClick={close}>
          {t('systems.webhooks.secretDone')}
        </Button>
      }
    >
      <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t('systems.webhooks.secretOnce')} />
      <Input.TextArea
        readOnly
        autoSize
        value={webhook?.secret ?? ''}
        aria-label={t('systems.webhooks.secret')}
        data-testid={TID.webhookSecretValue}
        style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}
        onFocus={(e) => e.target.select()}
      />
      <Space style={{ marginTop: 8 }}>
        <Button icon={copied ? <CheckOutlined /> : <CopyOutlined />} onClick={() => void (async () => setCopied(webhook ? await copyText(webhook.secret) : false))()}>
          {copied ? t('systems.webhooks.copied') : t('systems.webhooks.copy')}
        </Button>
        {copied === false && <Typography.Text type="danger">{t('systems.webhooks.copyFailed')}</Typography.Text>}
      </Space>
    </Modal>
  );
}
