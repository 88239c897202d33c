// The audit log: filters (resource type, action, actor, period), the before/after diff
// in an expandable row, and verification of the hash chain.
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import i18n from '../../../i18n';
import Tag from 'antd/es/tag';
import { AUDIT_ACTIONS, AUDIT_RESOURCE_TYPES, type AuditEvent } from '../../../api/types';
import { AuditDiff } from '../../../components/AuditDiff';
import { DataTable, filterParamKeys, useTableUrlState, type DataTableColumn, type FilterDef } from '../../../components/DataTable';
import { formatDateTime } from '../../../lib/format';
import { useAuditList, useVerifyChain } from '../api/audit';
import { VerifyChainButton, VerifyChainResult } from '../components/VerifyChain';

/** actionLabel translates an audit action; "logout.all" lives under logout_all because
 * "logout" itself is a label, not a group of them. */
function actionLabel(t: TFunction, action: string): string {
  const key = `audit.actions.${action}`;
  if (i18n.exists(key) && typeof t(key, { returnObjects: true }) === 'string') return t(key);
  return t(`audit.actions.${action.replace('.', '_')}`, { defaultValue: action });
}

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
      options: AUDIT_ACTIONS.map((a) => ({ value: a, label: actionLabel(t, a) })),
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
    { key: 'action', title: t('audit.col.action'), render: (e) => <Tag color={e.action === 'login.failure' || e.action === 'access.denied' ? 'red' : undefined}>{actionLabel(t, e.action)}</Tag> },
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
