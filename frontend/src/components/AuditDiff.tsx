// The before/after diff of an audit event as a field table; changed fields are highlighted.
import { useTranslation } from 'react-i18next';
import Table from 'antd/es/table';
import Typography from 'antd/es/typography';
import type { AuditEvent } from '../api/types';
import { TID } from '../testids';

interface DiffRow {
  field: string;
  before: unknown;
  after: unknown;
  changed: boolean;
}

function show(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** diffRows lists every field present before or after, marking the ones whose value changed. */
export function diffRows(diff: AuditEvent['diff']): DiffRow[] {
  const before = diff?.before ?? {};
  const after = diff?.after ?? {};
  const fields = Array.from(new Set([...Object.keys(before), ...Object.keys(after)])).sort();
  return fields.map((field) => ({
    field,
    before: before[field],
    after: after[field],
    changed: JSON.stringify(before[field]) !== JSON.stringify(after[field]),
  }));
}

export function AuditDiff({ diff }: { diff: AuditEvent['diff'] }) {
  const { t } = useTranslation();
  const rows = diffRows(diff);
  if (rows.length === 0) return <Typography.Text type="secondary">{t('diff.empty')}</Typography.Text>;
  return (
    <Table<DiffRow>
      data-testid={TID.auditDiff}
      size="small"
      rowKey="field"
      pagination={false}
      dataSource={rows}
      rowClassName={(r) => (r.changed ? 'custos-diff-changed' : '')}
      columns={[
        { key: 'field', title: t('diff.field'), dataIndex: 'field', width: 200, render: (v: string, r) => (r.changed ? <strong>{v}</strong> : v) },
        {
          key: 'before',
          title: t('diff.before'),
          render: (_: unknown, r) =>
            r.before === undefined ? (
              <Typography.Text type="secondary">—</Typography.Text>
            ) : (
              <Typography.Text delete={r.changed} type={r.changed ? 'danger' : undefined} code>
                {show(r.before)}
              </Typography.Text>
            ),
        },
        {
          key: 'after',
          title: t('diff.after'),
          render: (_: unknown, r) =>
            r.after === undefined ? (
              <Typography.Text type="secondary">—</Typography.Text>
            ) : (
              <Typography.Text type={r.changed ? 'success' : undefined} code>
                {show(r.after)}
              </Typography.Text>
            ),
        },
      ]}
    />
  );
}
