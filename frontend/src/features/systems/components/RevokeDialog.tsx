// Revoke a certificate with an RFC 5280 reason. A certificate we issued goes onto the CRL
// and OCSP; a manual one is revoked in our trust store only.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import App from 'antd/es/app';
import Form from 'antd/es/form';
import Modal from 'antd/es/modal';
import Select from 'antd/es/select';
import Typography from 'antd/es/typography';
import { errorMessage } from '../../../lib/errors';
import { TID } from '../../../testids';
import { useRevokeCertificate } from '../api/systems';
import { REVOCATION_REASONS, type Certificate, type RevocationReason } from '../api/types';

interface RevokeDialogProps {
  systemId: string;
  /** The certificate to revoke; null = closed. */
  cert: Certificate | null;
  onClose: () => void;
}

export function RevokeDialog({ systemId, cert, onClose }: RevokeDialogProps) {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const revoke = useRevokeCertificate(systemId);
  const [reason, setReason] = useState<RevocationReason>('unspecified');
  const confirm = async () => {
    if (!cert) return;
    try {
      await revoke.mutateAsync({ id: cert.id, reason });
      notification.success({ message: t('systems.certs.revoked', { subject: cert.subject }) });
      setReason('unspecified');
      onClose();
    } catch (e) {
      notification.error({ message: errorMessage(t, e) });
    }
  };
  return (
    <Modal
      open={cert !== null}
      title={t('systems.certs.revokeTitle')}
      okText={t('systems.certs.revoke')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: true, loading: revoke.isPending }}
      onOk={() => void confirm()}
      onCancel={onClose}
      destroyOnHidden
      wrapProps={{ 'data-testid': TID.certRevokeDialog }}
    >
      <Typography.Paragraph>{t(cert?.origin === 'manual' ? 'systems.certs.revokeManualText' : 'systems.certs.revokeText', { subject: cert?.subject ?? '' })}</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label={t('systems.certs.revokeReason')} htmlFor="revoke-reason">
          <Select<RevocationReason>
            id="revoke-reason"
            data-testid={TID.certRevokeReason}
            value={reason}
            onChange={setReason}
            options={REVOCATION_REASONS.map((r) => ({ value: r, label: t(`systems.certs.reasons.${r}`) }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
