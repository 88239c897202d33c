// The audit log: filters (resource type, action, actor, period), the before/after diff
// in an expandable row, and verification of the hash chain.
import { useTranslation } from 'react-i18next';
import Tag from 'antd/es/tag';
import { AUDIT_ACTIONS, AUDIT_RESOURCE_TYPES, type AuditEvent } from '../../../api/types';
import { AuditDiff } from '../../../components/AuditDiff';
import { DataTable, filterParamKeys, useTableUrlState, type DataTableColumn, type FilterDef } from '../../../components/DataTable';
import { formatDateTime } from '../../../lib/format';
import { useAuditList, useVerifyChain } from '../api/audit';
import { VerifyChainButton, VerifyChainResult } from '../components/VerifyChain';

export function AuditLogPage() {
  const { t } = useTranslation();
  const filters: FilterDef[] = [
    {
      type: 'select',
      key: 'resource_type',
      label: t('audit.col.resourceType'),
      allLabel: t('audit.filter.allResourceTypes'),
      options: AUDIT_RESOURCE_TYPES.map((r) => ({ value: r, label: t(`audit.resourceTypes.${r}`) })),
    },
    {
      type: 'select',
      key: 'action',
      label: t('audit.col.action'),
      allLabel: t('audit.filter.allActions'),
      options: AUDIT_ACTIONS.map((a) => ({ value: a, label: t(`audit.actions.${a}`) })),
    },
    { type: 'text', key: 'actor', label: t('audit.filter.actor') },
    { type: 'dateRange', key: 'period', label: t('audit.filter.period'), fromKey: 'from', toKey: 'to' },
  ];
  const table = useTableUrlState(filterParamKeys(filters));
  const list = useAuditList(table.params);
  const verify = useVerifyChain();
  const columns: DataTableColumn<AuditEvent>[] = [
    { key: 'at', title: t('audit.col.at'), render: (e) => formatDateTime(e.at) },
    { key: 'actor_name', title: t('audit.col.actor'), render: (e) => e.actor_name || t(`audit.actorTypes.${e.actor_type}`, { defaultValue: e.actor_type }) },
    { key: 'action', title: t('audit.col.action'), render: (e) => <Tag color={e.action === 'login.failure' ? 'red' : undefined}>{t(`audit.actions.${e.action}`, { defaultValue: e.action })}</Tag> },
    { key: 'resource_type', title: t('audit.col.resourceType'), render: (e) => t(`audit.resourceTypes.${e.resource_type}`, { defaultValue: e.resource_type }) },
    { key: 'resource_name', title: t('audit.col.resource'), sortable: false, render: (e) => e.resource_name || e.resource_id || '—' },
    { key: 'ip', title: t('audit.col.ip'), sortable: false },
    { key: 'seq', title: '#', sortable: false },
  ];
  return (
    <>
      <VerifyChainResult verify={verify} />
      <DataTable<AuditEvent>
        title={t('audit.title')}
        table={table}
        filters={filters}
        columns={columns}
        data={list.data}
        loading={list.isFetching}
        error={list.error}
        showSearch={false}
        headerExtra={<VerifyChainButton verify={verify} />}
        expandable={{ expandedRowRender: (e) => <AuditDiff diff={e.diff} />, rowExpandable: (e) => !!e.diff && (!!e.diff.before || !!e.diff.after) }}
      />
    </>
  );
}
