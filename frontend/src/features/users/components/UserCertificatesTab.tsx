// The certificates bound to a user on the user card: each signs them in on the mTLS
// address without a password. Holders of users.write bind (PEM or fingerprint) and unbind.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import App from 'antd/es/app';
import Button from 'antd/es/button';
import ConfigProvider from 'antd/es/config-provider';
import Flex from 'antd/es/flex';
import Table from 'antd/es/table';
import Typography from 'antd/es/typography';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { errorMessage } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import '../../../i18n/sections/certsignin';
import { useUnbindCertificate, useUserCertificates, type BoundCertificate } from '../api/certificates';
import { BindCertificateDialog } from './BindCertificateDialog';

interface UserCertificatesTabProps {
  userId: string;
  login: string;
  canWrite: boolean;
}

const shortFingerprint = (fp: string) => `${fp.slice(0, 16)}…${fp.slice(-8)}`;

export function UserCertificatesTab({ userId, login, canWrite }: UserCertificatesTabProps) {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const list = useUserCertificates(userId);
  const unbind = useUnbindCertificate(userId);
  const [bindOpen, setBindOpen] = useState(false);
  const [removing, setRemoving] = useState<BoundCertificate | null>(null);

  if (list.isError) return <Alert type="error" showIcon message={errorMessage(t, list.error)} />;
  const onUnbind = () =>
    removing &&
    unbind.mutate(removing.id, {
      onSuccess: () => notification.success({ message: t('users.certificates.unbound') }),
      onError: (e) => notification.error({ message: errorMessage(t, e) }),
      onSettled: () => setRemoving(null),
    });
  return (
    <ConfigProvider componentDisabled={false}>
      <Flex justify="space-between" align="center" gap={16} style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">{t('users.certificates.intro')}</Typography.Text>
        {canWrite && <Button onClick={() => setBindOpen(true)}>{t('users.certificates.bind')}</Button>}
      </Flex>
      <Table<BoundCertificate>
        aria-label={t('users.tabs.certificates')}
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: t('users.certificates.empty') }}
        columns={[
          {
            key: 'subject',
            title: t('users.certificates.subject'),
            render: (_, r) => (
              <>
                <div>{r.subject || <Typography.Text type="secondary">{t('users.certificates.onlyFingerprint')}</Typography.Text>}</div>
                <Typography.Text type="secondary" code copyable={{ text: r.fingerprint_sha256 }} style={{ fontSize: 12 }}>
                  {shortFingerprint(r.fingerprint_sha256)}
                </Typography.Text>
              </>
            ),
          },
          { key: 'not_after', title: t('users.certificates.validTo'), render: (_, r) => (r.not_after ? formatDateTime(r.not_after) : '—') },
          { key: 'comment', title: t('users.certificates.comment'), dataIndex: 'comment' },
          { key: 'by', title: t('users.certificates.boundBy'), render: (_, r) => `${r.created_by_login} · ${formatDateTime(r.created_at)}` },
          ...(canWrite
            ? [
                {
                  key: 'actions',
                  title: '',
                  render: (_: unknown, r: BoundCertificate) => (
                    <Button danger size="small" onClick={() => setRemoving(r)}>
                      {t('users.certificates.unbind')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <BindCertificateDialog userId={userId} open={bindOpen} onClose={() => setBindOpen(false)} />
      <ConfirmDialog
        open={removing !== null}
        title={t('users.certificates.unbindTitle')}
        confirmLabel={t('users.certificates.unbind')}
        loading={unbind.isPending}
        onCancel={() => setRemoving(null)}
        onConfirm={onUnbind}
      >
        {t('users.certificates.unbindText', { name: removing?.subject || removing?.fingerprint_sha256 || '', login })}
      </ConfirmDialog>
    </ConfigProvider>
  );
}
