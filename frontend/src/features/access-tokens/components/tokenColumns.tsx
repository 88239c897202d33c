// The columns and filters of the tokens table (both kinds).
import type { TFunction } from 'i18next';
import Button from 'antd/es/button';
import Tag from 'antd/es/tag';
import Tooltip from 'antd/es/tooltip';
import Typography from 'antd/es/typography';
import dayjs from 'dayjs';
import { StopOutlined } from '@ant-design/icons';
import type { DataTableColumn, FilterDef } from '../../../components/DataTable';
import { formatDateTime } from '../../../lib/format';
import { TID } from '../../../testids';
import type { ApiToken } from '../api/types';
import { TokenStatusTag } from './TokenStatusTag';

const SHOWN_SCOPES = 3;

/** shortId is the prefix and public id shortened for the table (the full id is on hover and in the details). */
export function shortId(r: Pick<ApiToken, 'prefix' | 'public_id'>): string {
  return `${r.prefix}.${r.public_id.slice(0, 8)}…${r.public_id.slice(-4)}`;
}

/** DateCell shows the day, with the exact time on hover (keeps the wide table readable). */
function DateCell({ at }: { at: string }) {
  return (
    <Tooltip title={formatDateTime(at)}>
      <span style={{ whiteSpace: 'nowrap' }}>{dayjs(at).format('YYYY-MM-DD')}</span>
    </Tooltip>
  );
}

export function tokenFilters(t: TFunction, catalogue: string[]): FilterDef[] {
  return [
    {
      type: 'select',
      key: 'status',
      label: t('tokens.col.status'),
      allLabel: t('tokens.filter.allStatuses'),
      options: (['active', 'revoked', 'expired'] as const).map((s) => ({ value: s, label: t(`tokens.status.${s}`) })),
    },
    {
      type: 'select',
      key: 'scope',
      label: t('tokens.col.scopes'),
      allLabel: t('tokens.filter.allScopes'),
      options: catalogue.map((c) => ({ value: c, label: c })),
    },
  ];
}

interface ColumnOptions {
  canWrite: boolean;
  onRevoke: (token: ApiToken) => void;
}

export function tokenColumns(t: TFunction, { canWrite, onRevoke }: ColumnOptions): DataTableColumn<ApiToken>[] {
  const cols: DataTableColumn<ApiToken>[] = [
    { key: 'name', title: t('tokens.col.name') },
    {
      key: 'token',
      title: t('tokens.col.token'),
      sortable: false,
      render: (r) => (
        <Tooltip title={`${r.prefix}.${r.public_id}`}>
          <Typography.Text code style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
            {shortId(r)}
          </Typography.Text>
        </Tooltip>
      ),
    },
    {
      key: 'scopes',
      title: t('tokens.col.scopes'),
      sortable: false,
      render: (r) => (
        <span>
          {r.scopes.slice(0, SHOWN_SCOPES).map((s) => (
            <Tag key={s}>{s}</Tag>
          ))}
          {r.scopes.length > SHOWN_SCOPES && (
            <Tooltip title={r.scopes.slice(SHOWN_SCOPES).join(', ')}>
              <Tag>+{r.scopes.length - SHOWN_SCOPES}</Tag>
            </Tooltip>
          )}
        </span>
      ),
    },
    { key: 'status', title: t('tokens.col.status'), sortable: false, render: (r) => <TokenStatusTag token={r} /> },
    { key: 'expires_at', title: t('tokens.col.expires'), render: (r) => (r.expires_at ? <DateCell at={r.expires_at} /> : t('tokens.never')) },
    {
      key: 'last_used_at',
      title: t('tokens.col.lastUsed'),
      render: (r) =>
        r.last_used_at ? (
          <span style={{ whiteSpace: 'nowrap' }}>
            {formatDateTime(r.last_used_at)}
            <br />
            <Typography.Text type="secondary">{r.last_used_ip}</Typography.Text>
          </span>
        ) : (
          t('tokens.neverUsed')
        ),
    },
  ];
  cols.push({ key: 'created_at', title: t('tokens.col.created'), render: (r) => <DateCell at={r.created_at} /> });
  if (canWrite) {
    cols.push({
      key: 'revoke',
      title: '',
      sortable: false,
      render: (r) =>
        r.status === 'active' ? (
          <Tooltip title={t('tokens.revoke')}>
            <Button
              size="small"
              type="text"
              danger
              icon={<StopOutlined />}
              aria-label={t('tokens.revoke')}
              data-testid={TID.tokenRevoke}
              onClick={(e) => (e.stopPropagation(), onRevoke(r))}
            />
          </Tooltip>
        ) : null,
    });
  }
  return cols;
}
