// The tokens page of one kind: the DataTable (list conventions in the URL), Create new
// token, the one-time reveal, revoke with confirmation, edit, and bulk delete.
import { useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { DataTable, filterParamKeys, useTableUrlState } from '../../../components/DataTable';
import type { Permission } from '../../../api/types';
import { useRevokeToken, type TokenResource } from '../api/tokens';
import type { ApiToken, CreatedApiToken } from '../api/types';
import { CreateTokenDialog } from './CreateTokenDialog';
import { EditTokenDialog } from './EditTokenDialog';
import { RevealTokenDialog } from './RevealTokenDialog';
import { RevokeTokenConfirm } from './RevokeTokenConfirm';
import { tokenColumns, tokenFilters } from './tokenColumns';

const CATALOGUE: Permission[] = [
  'providers.read', 'providers.write', 'users.read', 'users.write', 'apiTokens.read', 'apiTokens.write', 'certificates.read',
  'certificates.write', 'devices.read', 'devices.write', 'devices.approve', 'audit.read', 'stats.read', 'settings.write', 'selfservice',
];

interface TokensViewProps {
  res: TokenResource;
  title: ReactNode;
  /** The caller may create, change, revoke and delete. */
  canWrite: boolean;
  /** The permissions the caller holds: the most a new token may carry. */
  held: ReadonlySet<string>;
  /** A note under the table. */
  note?: ReactNode;
  /** The token details show its request statistics. */
  showStats?: boolean;
}

export function TokensView({ res, title, canWrite, held, note, showStats = false }: TokensViewProps) {
  const { t } = useTranslation();
  const catalogue = CATALOGUE.filter((c) => res.kind === 'personal' || c !== 'selfservice');
  const filters = tokenFilters(t, catalogue);
  const table = useTableUrlState(filterParamKeys(filters));
  const list = res.hooks.useList(table.params);
  const bulkDelete = res.hooks.useBulkDelete();
  const revoke = useRevokeToken(res);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const [editing, setEditing] = useState<ApiToken | null>(null);
  // ?open=<id> opens a token's details (the home dashboard links its expiring tokens so).
  const [sp, setSp] = useSearchParams();
  const openId = sp.get('open') ?? undefined;
  const linked = res.hooks.useOne(openId);
  const shown = editing ?? (openId ? (linked.data ?? null) : null);
  const close = () => {
    setEditing(null);
    if (openId)
      setSp((prev) => {
        const next = new URLSearchParams(prev);
        next.delete('open');
        return next;
      }, { replace: true });
  };

  return (
    <>
      <DataTable<ApiToken>
        title={title}
        table={table}
        filters={filters}
        columns={tokenColumns(t, { canWrite, onRevoke: setRevoking })}
        data={list.data}
        loading={list.isFetching}
        error={list.error}
        searchPlaceholder={t('tokens.searchPlaceholder')}
        rowLabel={(r) => r.name}
        addLabel={t('tokens.createNew')}
        onAdd={canWrite ? () => setCreating(true) : undefined}
        onEdit={(id) => setEditing(list.data?.items.find((r) => r.id === id) ?? null)}
        onBulkDelete={canWrite ? (ids) => bulkDelete.mutateAsync(ids) : undefined}
      />
      {note}
      <CreateTokenDialog
        res={res}
        held={held}
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(tok) => {
          setCreating(false);
          setCreated(tok);
        }}
      />
      <RevealTokenDialog token={created} onClose={() => setCreated(null)} />
      <EditTokenDialog res={res} token={shown} held={held} canWrite={canWrite} showStats={showStats} onClose={close} />
      <RevokeTokenConfirm token={revoking} text={t('tokens.revokeText')} revoke={revoke} onClose={() => setRevoking(null)} />
    </>
  );
}
