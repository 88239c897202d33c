// A user's second factors on the user card: whether one is required (and by which
// groups), the authenticator app and passkeys they have, the grace deadline while they
// have none, and «Reset second factors» for holders of users.write.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import App from 'antd/es/app';
import Button from 'antd/es/button';
import ConfigProvider from 'antd/es/config-provider';
import Descriptions from 'antd/es/descriptions';
import Spin from 'antd/es/spin';
import Tag from 'antd/es/tag';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { errorMessage } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { useResetUserFactors, useUserFactors } from '../api/factors';

interface UserFactorsTabProps {
  userId: string;
  login: string;
  canReset: boolean;
}

export function UserFactorsTab({ userId, login, canReset }: UserFactorsTabProps) {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const status = useUserFactors(userId);
  const reset = useResetUserFactors(userId);
  const [confirm, setConfirm] = useState(false);
  if (status.isError) return <Alert type="error" showIcon message={t('factorPolicy.loadFailed')} />;
  if (status.isPending) return <Spin />;
  const s = status.data;
  const pol = s.policy;
  const none = !s.totp && s.passkeys === 0;
  const deadline = () => {
    if (!pol.required || !none) return null;
    if (!pol.deadline) return t('factorPolicy.notStarted');
    if (new Date(pol.deadline).getTime() <= Date.now()) return `${formatDateTime(pol.deadline)}. ${t('factorPolicy.deadlinePassed')}`;
    return formatDateTime(pol.deadline);
  };
  const due = deadline();
  const onReset = () =>
    reset.mutate(undefined, {
      onSuccess: (r) => notification.success({ message: t('factorPolicy.resetDone', { count: r.sessions_ended }) }),
      onError: (e) => notification.error({ message: errorMessage(t, e) }),
      onSettled: () => setConfirm(false),
    });
  return (
    <ConfigProvider componentDisabled={false}>
      <Descriptions
        bordered
        size="small"
        column={1}
        style={{ maxWidth: 640, marginBottom: 16 }}
        items={[
          {
            key: 'required',
            label: t('factorPolicy.cardTitle'),
            children: pol.required ? (
              <>
                <Tag color="orange">{t('factorPolicy.required')}</Tag> {t('factorPolicy.requiredBy', { groups: pol.required_by.join(', ') })}
              </>
            ) : (
              t('factorPolicy.notRequired')
            ),
          },
          { key: 'totp', label: t('factorPolicy.totp'), children: s.totp ? t('factorPolicy.yes') : t('factorPolicy.no') },
          { key: 'passkeys', label: t('factorPolicy.passkeys'), children: String(s.passkeys) },
          ...(due ? [{ key: 'deadline', label: t('factorPolicy.deadline'), children: due }] : []),
        ]}
      />
      {canReset && (
        <Button danger disabled={none} onClick={() => setConfirm(true)}>
          {t('factorPolicy.reset')}
        </Button>
      )}
      <ConfirmDialog
        open={confirm}
        title={t('factorPolicy.reset')}
        confirmLabel={t('factorPolicy.reset')}
        loading={reset.isPending}
        onCancel={() => setConfirm(false)}
        onConfirm={onReset}
      >
        {t('factorPolicy.resetConfirm', { login })}
      </ConfirmDialog>
    </ConfigProvider>
  );
}
