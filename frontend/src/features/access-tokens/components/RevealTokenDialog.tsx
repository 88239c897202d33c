// The one-time reveal: the whole token, a copy button, and the plain warning that it
// will not be shown again. The value lives only in this dialog's props; closing it
// forgets the token for good.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Input from 'antd/es/input';
import Modal from 'antd/es/modal';
import Space from 'antd/es/space';
import Typography from 'antd/es/typography';
import { CheckOutlined, CopyOutlined } from '@ant-design/icons';
import { TID } from '../../../testids';
import type { CreatedApiToken } from '../api/types';
import { copyText } from '../../../lib/clipboard';

interface RevealTokenDialogProps {
  token: CreatedApiToken | null;
  onClose: () => void;
}

export function RevealTokenDialog({ token, onClose }: RevealTokenDialogProps) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<boolean | null>(null);
  const close = () => {
    setCopied(null);
    onClose();
  };
  const shown = `${token?.prefix ?? 'cst01'}.${token?.public_id ?? '…'}.…`;
  const copy = async () => setCopied(token ? await copyText(token.token) : false);
  return (
    <Modal
      open={token !== null}
      title={t('tokens.revealTitle', { name: token?.name ?? '' })}
      onCancel={close}
      maskClosable={false}
      destroyOnHidden
      width={720}
      wrapProps={{ 'data-testid': TID.tokenRevealDialog }}
      footer={
        <Button type="primary" onClick={close}>
          {t('tokens.revealDone')}
        </Button>
      }
    >
      <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t('tokens.revealOnce')} description={t('tokens.revealStore')} />
      <Input.TextArea
        readOnly
        autoSize
        value={token?.token ?? ''}
        aria-label={t('tokens.revealLabel')}
        data-testid={TID.tokenRevealValue}
        style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}
        onFocus={(e) => e.target.select()}
      />
      <Space style={{ marginTop: 8 }}>
        <Button type="primary" icon={copied ? <CheckOutlined /> : <CopyOutlined />} onClick={() => void copy()} data-testid={TID.tokenRevealCopy}>
          {copied ? t('tokens.copied') : t('tokens.copy')}
        </Button>
        {copied === false && <Typography.Text type="danger">{t('tokens.copyFailed')}</Typography.Text>}
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 4 }}>
        {t('tokens.usage')}
      </Typography.Paragraph>
      <Typography.Paragraph code copyable={false} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 12 }}>
        {`curl -H "Authorization: Api-Token ${shown}" ${window.location.origin}/api/v1/auth/me\ncurl "${window.location.origin}/api/v1/auth/me?api-token=${shown}"`}
      </Typography.Paragraph>
    </Modal>
  );
}
