// The "History" tab of an edit form (Журнал изменений настроек): the audit events of one resource.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import Alert from 'antd/es/alert';
import Table from 'antd/es/table';
import { http } from '../../api/http';
import type { AuditEvent, ListResponse } from '../../api/types';
import { errorMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { TID } from '../../testids';
import { AuditDiff } from '../AuditDiff';

const PAGE_SIZE = 10;

interface ResourceHistoryProps {
  resourceType: string;
  resourceId: string;
}

export function ResourceHistory({ resourceType, resourceId }: ResourceHistoryProps) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const q = useQuery({
    queryKey: ['audit', 'history', resourceType, resourceId, page],
    queryFn: ({ signal }) =>
      http.get<ListResponse<AuditEvent>>('/audit', {
        query: { resource_type: resourceType, resource_id: resourceId, sort: 'at', order: 'desc', page, page_size: PAGE_SIZE },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
  if (q.isError) return <Alert type="error" showIcon message={errorMessage(t, q.error)} />;
  return (
    <Table<AuditEvent>
      data-testid={TID.historyTable}
      rowKey="id"
      size="small"
      loading={q.isFetching}
      dataSource={q.data?.items ?? []}
      pagination={{ current: page, pageSize: PAGE_SIZE, total: q.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
      expandable={{ expandedRowRender: (e) => <AuditDiff diff={e.diff} />, rowExpandable: (e) => !!e.diff }}
      columns={[
        { key: 'at', title: t('audit.col.at'), render: (_: unknown, e) => formatDateTime(e.at), width: 180 },
        { key: 'action', title: t('audit.col.action'), render: (_: unknown, e) => t(`audit.actions.${e.action}`, { defaultValue: e.action }) },
        { key: 'actor', title: t('audit.col.actor'), render: (_: unknown, e) => e.actor_name || t(`audit.actorTypes.${e.actor_type}`, { defaultValue: e.actor_type }) },
        { key: 'ip', title: t('audit.col.ip'), dataIndex: 'ip' },
      ]}
    />
  );
}
