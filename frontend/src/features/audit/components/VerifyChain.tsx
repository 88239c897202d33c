import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { errorMessage } from '../../../lib/errors';
import { TID } from '../../../testids';
import type { useVerifyChain } from '../api/audit';

type Verify = ReturnType<typeof useVerifyChain>;

export function VerifyChainButton({ verify }: { verify: Verify }) {
  const { t } = useTranslation();
  return (
    <Button icon={<SafetyCertificateOutlined />} loading={verify.isPending} onClick={() => verify.mutate()} data-testid={TID.auditVerify}>
      {t('audit.verify')}
    </Button>
  );
}

/** VerifyChainResult reports whether the hash chain is intact, or where it breaks. */
export function VerifyChainResult({ verify }: { verify: Verify }) {
  const { t } = useTranslation();
  if (verify.isError) {
    return <Alert data-testid={TID.auditVerifyResult} type="error" showIcon closable style={{ marginBottom: 16 }} message={errorMessage(t, verify.error)} />;
  }
  const r = verify.data;
  if (!r) return null;
  return (
    <Alert
      data-testid={TID.auditVerifyResult}
      type={r.ok ? 'success' : 'error'}
      showIcon
      closable
      style={{ marginBottom: 16 }}
      message={r.ok ? t('audit.verifyOk', { count: r.checked }) : t('audit.verifyBroken', { seq: r.broken_at_seq ?? '?', count: r.checked })}
    />
  );
}
