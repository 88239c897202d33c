// A user's personal access tokens, as an administrator sees them on the user card: what
// the person has handed to scripts, when it was last used and from where, and a revoke
// button for holders of apiTokens.write (offboarding, a leaked token). Never the secret.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Alert from 'antd/es/alert';
import ConfigProvider from 'antd/es/config-provider';
import Table from 'antd/es/table';
import Typography from 'antd/es/typography';
import { http } from '../../../api/http';
import type { ListResponse } from '../../../api/types';
import { errorMessage } from '../../../lib/errors';
import { TID } from '../../../testids';
import type { ApiToken } from '../api/types';
import { RevokeTokenConfirm } from './RevokeTokenConfirm';
import { tokenColumns } from './tokenColumns';

const userTokensKey = (userId: string) => ['user-tokens', userId] as const;

export function UserTokensTab({ userId, canRevoke }: { userId: string; canRevoke: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const path = `/users/${encodeURIComponent(userId)}/tokens`;
  const list = useQuery({
    queryKey: userTokensKey(userId),
    queryFn: ({ signal }) =>
      http.get<ListResponse<ApiToken>>(path, { query: { sort: 'created_at', order: 'desc', page_size: 200 }, signal }),
  });
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const revoke = useMutation({
    mutationFn: (id: string) => http.post<ApiToken>(`${path}/${encodeURIComponent(id)}/revoke`),
    onSuccess: () =>
      Promise.all([qc.invalidateQueries({ queryKey: userTokensKey(userId) }), qc.invalidateQueries({ queryKey: ['audit'] })]),
  });

  if (list.isError) return <Alert type="error" showIcon message={errorMessage(t, list.error)} />;
  const columns = tokenColumns(t, { canWrite: canRevoke, onRevoke: setRevoking }).map((c) => ({
    key: c.key,
    title: c.title,
    render: (_: unknown, r: ApiToken) => (c.render ? c.render(r) : String(r[c.key as keyof ApiToken] ?? '')),
  }));
  // The tab sits inside the user form, which is disabled for those who may not change
  // users; revoking is governed by apiTokens.write alone.
  return (
    <ConfigProvider componentDisabled={false}>
      <Typography.Paragraph type="secondary">{t('tokens.userTabIntro')}</Typography.Paragraph>
      <Table<ApiToken>
        data-testid={TID.userTokens}
        rowKey="id"
        size="small"
        loading={list.isFetching}
        columns={columns}
        dataSource={list.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: t('tokens.userTabEmpty') }}
      />
      <RevokeTokenConfirm token={revoking} text={t('tokens.userRevokeText')} revoke={revoke} onClose={() => setRevoking(null)} />
    </ConfigProvider>
  );
}
