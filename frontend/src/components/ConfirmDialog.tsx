// A confirmation dialog with explicit confirm/cancel buttons (Delete / Cancel by default).
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import Modal from 'antd/es/modal';

interface ConfirmDialogProps {
  open: boolean;
  title: ReactNode;
  children?: ReactNode;
  confirmLabel?: string;
  danger?: boolean;
  loading?: boolean;
  testId?: string;
  onConfirm: () => void;
  onCancel: () => void;
}

export function ConfirmDialog({ open, title, children, confirmLabel, danger = true, loading, testId, onConfirm, onCancel }: ConfirmDialogProps) {
  const { t } = useTranslation();
  return (
    <Modal
      open={open}
      title={title}
      okText={confirmLabel ?? t('common.delete')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger, loading }}
      onOk={onConfirm}
      onCancel={onCancel}
      destroyOnHidden
      wrapProps={{ 'data-testid': testId }}
    >
      {children}
    </Modal>
  );
}
