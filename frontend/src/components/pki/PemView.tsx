// A PEM block shown read-only with a copy button (the seed: select the certificate and copy it).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Button from 'antd/es/button';
import Input from 'antd/es/input';
import Space from 'antd/es/space';
import Typography from 'antd/es/typography';
import { CheckOutlined, CopyOutlined } from '@ant-design/icons';
import { copyText } from '../../lib/clipboard';

interface PemViewProps {
  pem: string;
  label: string;
  testId?: string;
  copyTestId?: string;
}

export function PemView({ pem, label, testId, copyTestId }: PemViewProps) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<boolean | null>(null);
  return (
    <div>
      <Input.TextArea
        readOnly
        value={pem}
        aria-label={label}
        data-testid={testId}
        autoSize={{ minRows: 4, maxRows: 12 }}
        style={{ fontFamily: 'monospace', fontSize: 12 }}
        onFocus={(e) => e.target.select()}
      />
      <Space style={{ marginTop: 8 }}>
        <Button icon={copied ? <CheckOutlined /> : <CopyOutlined />} data-testid={copyTestId} onClick={() => void copyText(pem).then(setCopied)}>
          {copied ? t('systems.certs.copied') : t('systems.certs.copyPem')}
        </Button>
        {copied === false && <Typography.Text type="danger">{t('systems.certs.copyFailed')}</Typography.Text>}
      </Space>
    </div>
  );
}
