// The revoke confirmation of a token, with its outcome as a notification (both token
// pages and the user card's tokens tab).
import { useTranslation } from 'react-i18next';
import type { UseMutationResult } from '@tanstack/react-query';
import App from 'antd/es/app';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { errorMessage } from '../../../lib/errors';
import { TID } from '../../../testids';
import type { ApiToken } from '../api/types';

interface Props {
  /** The token to revoke; null = closed. */
  token: ApiToken | null;
  /** What revoking means for this reader. */
  text: string;
  revoke: UseMutationResult<ApiToken, unknown, string>;
  onClose: () => void;
}

export function RevokeTokenConfirm({ token, text, revoke, onClose }: Props) {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const confirm = async () => {
    if (!token) return;
    try {
      await revoke.mutateAsync(token.id);
      notification.success({ message: t('tokens.revoked', { name: token.name }) });
    } catch (e) {
      notification.error({ message: errorMessage(t, e) });
    }
    onClose();
  };
  return (
    <ConfirmDialog
      open={token !== null}
      testId={TID.tokenRevokeConfirm}
      title={t('tokens.revokeTitle', { name: token?.name ?? '' })}
      confirmLabel={t('tokens.revoke')}
      loading={revoke.isPending}
      onConfirm={() => void confirm()}
      onCancel={onClose}
    >
      {text}
    </ConfirmDialog>
  );
}
