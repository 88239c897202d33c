// The columns and filters of the tokens table (both kinds).
import type { TFunction } from 'i18next';
import Button from 'antd/es/button';
import Tag from 'antd/es/tag';
import Tooltip from 'antd/es/tooltip';
import Typography from 'antd/es/typography';
import type { DataTableColumn, FilterDef } from '../../../components/DataTable';
import { formatDateTime } from '../../../lib/format';
import { TID } from '../../../testids';
import type { ApiToken, TokenKind } from '../api/types';
import { TokenStatusTag } from './TokenStatusTag';

const SHOWN_SCOPES = 3;

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
  kind: TokenKind;
  canWrite: boolean;
  onRevoke: (token: ApiToken) => void;
}

export function tokenColumns(t: TFunction, { kind, canWrite, onRevoke }: ColumnOptions): DataTableColumn<ApiToken>[] {
  const cols: DataTableColumn<ApiToken>[] = [
    { key: 'name', title: t('tokens.col.name') },
    {
      key: 'token',
      title: t('tokens.col.token'),
      sortable: false,
      render: (r) => <Typography.Text code copyable={{ text: `${r.prefix}.${r.public_id}` }}>{`${r.prefix}.${r.public_id}`}</Typography.Text>,
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
    { key: 'expires_at', title: t('tokens.col.expires'), render: (r) => (r.expires_at ? formatDateTime(r.expires_at) : t('tokens.never')) },
    {
      key: 'last_used_at',
      title: t('tokens.col.lastUsed'),
      render: (r) =>
        r.last_used_at ? (
          <span>
            {formatDateTime(r.last_used_at)} <Typography.Text type="secondary">{r.last_used_ip}</Typography.Text>
          </span>
        ) : (
          t('tokens.neverUsed')
        ),
    },
  ];
  if (kind === 'api') cols.push({ key: 'created_by', title: t('tokens.col.createdBy'), sortable: false, render: (r) => r.created_by || '—' });
  cols.push({ key: 'created_at', title: t('tokens.col.created'), render: (r) => formatDateTime(r.created_at) });
  if (canWrite) {
    cols.push({
      key: 'revoke',
      title: '',
      sortable: false,
      render: (r) =>
        r.status === 'active' ? (
          <Button size="small" danger data-testid={TID.tokenRevoke} onClick={(e) => (e.stopPropagation(), onRevoke(r))}>
            {t('tokens.revoke')}
          </Button>
        ) : null,
    });
  }
  return cols;
}
