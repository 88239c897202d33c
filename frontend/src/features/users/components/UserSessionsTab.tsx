// A user's open browser sessions on the user card: when they signed in, when they were
// last active, from where and with which browser, and "End sessions" for holders of
// users.write (a lost laptop, an offboarding). Ending them signs the person out
// everywhere; the server refuses it for an account that outranks the caller.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import App from 'antd/es/app';
import Button from 'antd/es/button';
import ConfigProvider from 'antd/es/config-provider';
import Flex from 'antd/es/flex';
import Table from 'antd/es/table';
import Tag from 'antd/es/tag';
import Typography from 'antd/es/typography';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { errorMessage } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { TID } from '../../../testids';
import { useEndUserSessions, useUserSessions, type UserSession } from '../api/sessions';
import '../../../i18n/sections/certsignin';

const nowrap = { whiteSpace: 'nowrap' } as const;

interface UserSessionsTabProps {
  userId: string;
  login: string;
  canEnd: boolean;
}

export function UserSessionsTab({ userId, login, canEnd }: UserSessionsTabProps) {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const list = useUserSessions(userId);
  const end = useEndUserSessions(userId);
  const [confirm, setConfirm] = useState(false);
  const items = list.data?.items ?? [];

  if (list.isError) return <Alert type="error" showIcon message={errorMessage(t, list.error)} />;
  const onEnd = () =>
    end.mutate(undefined, {
      onSuccess: (r) => notification.success({ message: t('users.sessions.ended', { count: r.ended }) }),
      onError: (e) => notification.error({ message: errorMessage(t, e) }),
      onSettled: () => setConfirm(false),
    });
  return (
    <ConfigProvider componentDisabled={false}>
      <Flex justify="space-between" align="center" gap={16} style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">{t('users.sessions.intro')}</Typography.Text>
        {canEnd && (
          <Button danger disabled={items.length === 0} data-testid={TID.userSessionsEnd} onClick={() => setConfirm(true)}>
            {t('users.sessions.end')}
          </Button>
        )}
      </Flex>
      <Table<UserSession>
        data-testid={TID.userSessions}
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={items}
        pagination={false}
        locale={{ emptyText: t('users.sessions.empty') }}
        columns={[
          { key: 'created_at', title: t('users.sessions.signedIn'), render: (_, r) => <span style={nowrap}>{formatDateTime(r.created_at)}</span> },
          {
            key: 'last_seen_at',
            title: t('users.sessions.lastSeen'),
            render: (_, r) => (
              <>
                <span style={nowrap}>{formatDateTime(r.last_seen_at)}</span> {r.current && <Tag color="green">{t('users.sessions.current')}</Tag>}
                {r.sign_in_method === 'certificate' && <Tag color="blue">{t('users.sessions.byCertificate')}</Tag>}
                {r.sign_in_method === 'password+certificate' && <Tag color="blue">{t('users.sessions.byPasswordCertificate')}</Tag>}
              </>
            ),
          },
          { key: 'ip', title: <span style={nowrap}>{t('users.sessions.ip')}</span>, dataIndex: 'ip' },
          {
            key: 'user_agent',
            title: t('users.sessions.browser'),
            render: (_, r) => (
              <Typography.Text ellipsis={{ tooltip: r.user_agent }} style={{ maxWidth: 220 }}>
                {r.user_agent || '—'}
              </Typography.Text>
            ),
          },
        ]}
      />
      <ConfirmDialog
        open={confirm}
        title={t('users.sessions.endTitle')}
        confirmLabel={t('users.sessions.end')}
        loading={end.isPending}
        testId={TID.userSessionsEndConfirm}
        onCancel={() => setConfirm(false)}
        onConfirm={onEnd}
      >
        {t('users.sessions.endText', { name: login })}
      </ConfirmDialog>
    </ConfigProvider>
  );
}
