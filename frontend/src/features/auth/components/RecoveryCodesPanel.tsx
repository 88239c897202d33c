// Recovery codes shown once, right after they were made: a list to write down, a .txt
// download and a copy button. Closing it forgets them.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Space from 'antd/es/space';
import { TID } from '../../../testids';

interface RecoveryCodesPanelProps {
  codes: string[];
  login: string;
  onDone: () => void;
}

export function RecoveryCodesPanel({ codes, login, onDone }: RecoveryCodesPanelProps) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const text = `${t('security.codesFile', { login })}\n\n${codes.join('\n')}\n`;
  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `custos-recovery-codes-${login}.txt`;
    a.click();
    URL.revokeObjectURL(url);
  };
  const copy = async () => {
    await navigator.clipboard?.writeText(codes.join('\n'));
    setCopied(true);
  };
  return (
    <div>
      <h3 style={{ marginTop: 0 }}>{t('security.codesTitle')}</h3>
      <Alert type="warning" showIcon message={t('security.codesIntro')} style={{ marginBottom: 12 }} />
      <ol
        data-testid={TID.securityRecoveryCodes}
        style={{ fontFamily: 'monospace', fontSize: 16, columns: 2, maxWidth: 360, paddingLeft: 24 }}
      >
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ol>
      <Space wrap>
        <Button onClick={download}>{t('security.download')}</Button>
        <Button onClick={() => void copy()}>{copied ? t('security.copied') : t('security.copy')}</Button>
        <Button type="primary" onClick={onDone}>
          {t('security.saved')}
        </Button>
      </Space>
    </div>
  );
}
