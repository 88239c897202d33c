// The operators' queue: every issuance, pending approval by default; Approve / Reject per
// row (devices.approve), bulk Approve with each refusal reported, Issue for a user
// (devices.write). A row opens the issuance with its history.
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import App from 'antd/es/app';
import Button from 'antd/es/button';
import Space from 'antd/es/space';
import { PlusOutlined } from '@ant-design/icons';
import { usePermissions } from '../../../api/auth';
import { useBulkResultNotice } from '../../../components/BulkResultReport';
import { DataTable, useTableUrlState, type DataTableColumn, type FilterDef } from '../../../components/DataTable';
import { errorMessage } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { TID } from '../../../testids';
import { ISSUANCE_STATES, useBulkApprove, useDecide, useDeviceTypeOptions, useIssuances, type Issuance } from '../api/operations';
import { DecisionDialog } from '../components/DecisionDialog';
import { IssueForUserDialog } from '../components/IssueForUserDialog';
import { IssuanceStateTag } from '../components/StatusTags';

/** ANY_STATE: the state filter's value for every state (no filter means the queue). */
export const ANY_STATE = 'any';
const DEFAULT_STATE = 'pending_approval';

interface Pending {
  ids: string[];
  decision: 'approve' | 'reject';
  subject: string;
}

export function IssuancesPage() {
  const { t } = useTranslation();
  const { has } = usePermissions();
  const navigate = useNavigate();
  const location = useLocation();
  const { notification } = App.useApp();
  const types = useDeviceTypeOptions();
  const typeName = new Map((types.data?.items ?? []).map((d) => [d.id, d.name]));
  const filters: FilterDef[] = [
    {
      type: 'select',
      key: 'state',
      label: t('devices.issuances.state'),
      allLabel: t('devices.states.pending_approval'),
      options: [{ value: ANY_STATE, label: t('devices.issuances.anyState') }, ...ISSUANCE_STATES.filter((s) => s !== DEFAULT_STATE).map((s) => ({ value: s, label: t(`devices.states.${s}`) }))],
    },
    {
      type: 'select',
      key: 'device_type_id',
      label: t('devices.deviceType'),
      allLabel: t('devices.all'),
      options: (types.data?.items ?? []).map((d) => ({ value: d.id, label: d.name })),
    },
  ];
  const table = useTableUrlState(['state', 'device_type_id']);
  const params = useMemo(() => {
    const state = table.params.state as string | undefined;
    return { ...table.params, state: state === ANY_STATE ? undefined : (state ?? DEFAULT_STATE) };
  }, [table.params]);
  const list = useIssuances(params);
  const names = useRef(new Map<string, string>());
  (list.data?.items ?? []).forEach((i) => names.current.set(i.id, i.user_login));
  const decide = useDecide();
  const bulk = useBulkApprove();
  const report = useBulkResultNotice();
  const [pending, setPending] = useState<(Pending & { reset?: () => void }) | null>(null);
  const [issuing, setIssuing] = useState(false);
  const canDecide = has('devices.approve');

  const confirm = async (comment: string) => {
    if (!pending) return;
    const { ids, decision } = pending;
    try {
      if (ids.length === 1 && !pending.reset) {
        await decide.mutateAsync({ id: ids[0] as string, decision, comment });
        notification.success({ message: t(decision === 'approve' ? 'devices.issuances.approved' : 'devices.issuances.rejected') });
      } else {
        const res = await bulk.mutateAsync({ ids, comment });
        report(res, {
          done: (count) => t('devices.issuances.bulkApproved', { count }),
          refused: (count) => t('devices.issuances.bulkRefused', { count }),
          labelOf: (id) => names.current.get(id) ?? id,
          testId: TID.issuanceBulkReport,
        });
        pending.reset?.();
      }
    } catch (e) {
      notification.error({ message: errorMessage(t, e) });
    }
    setPending(null);
  };

  const ask = (row: Issuance, decision: 'approve' | 'reject') => setPending({ ids: [row.id], decision, subject: row.user_login });
  const columns: DataTableColumn<Issuance>[] = [
    { key: 'created_at', title: t('devices.issuances.requested'), render: (i) => formatDateTime(i.created_at) },
    { key: 'user_login', title: t('devices.user'), sortable: false },
    { key: 'requested_by_login', title: t('devices.issuances.requestedBy'), sortable: false },
    { key: 'device_type_id', title: t('devices.deviceType'), sortable: false, render: (i) => typeName.get(i.device_type_id) ?? '…' },
    { key: 'state', title: t('devices.issuances.state'), render: (i) => <IssuanceStateTag state={i.state} /> },
    { key: 'skzi_number', title: t('devices.skziNumber'), sortable: false, render: (i) => i.skzi_number || '—' },
  ];
  if (canDecide) {
    columns.push({
      key: 'decide',
      title: t('devices.issuances.decision'),
      sortable: false,
      render: (i) =>
        i.state === 'pending_approval' ? (
          <Space size="small" onClick={(e) => e.stopPropagation()}>
            <Button size="small" type="primary" data-testid={TID.issuanceApprove} onClick={() => ask(i, 'approve')}>
              {t('devices.issuances.approve')}
            </Button>
            <Button size="small" danger data-testid={TID.issuanceReject} onClick={() => ask(i, 'reject')}>
              {t('devices.issuances.reject')}
            </Button>
          </Space>
        ) : null,
    });
  }
  return (
    <>
      <DataTable<Issuance>
        title={t('devices.issuances.title')}
        table={table}
        filters={filters}
        data={list.data}
        loading={list.isFetching}
        error={list.error}
        columns={columns}
        rowLabel={(i) => i.user_login}
        searchPlaceholder={t('devices.issuances.search')}
        onEdit={(id) => navigate(`/issuances/${id}`, { state: { back: location.search } })}
        headerExtra={
          has('devices.write') ? (
            <Button icon={<PlusOutlined />} data-testid={TID.issueForUser} onClick={() => setIssuing(true)}>
              {t('devices.issuances.issueForUser')}
            </Button>
          ) : undefined
        }
        bulkExtra={
          canDecide
            ? (ids, reset) => (
                <Button type="primary" data-testid={TID.issuanceBulkApprove} onClick={() => setPending({ ids, decision: 'approve', subject: t('devices.issuances.nRequests', { count: ids.length }), reset })}>
                  {t('devices.issuances.approve')}
                </Button>
              )
            : undefined
        }
      />
      <DecisionDialog decision={pending?.decision ?? null} subject={pending?.subject ?? ''} busy={decide.isPending || bulk.isPending} onCancel={() => setPending(null)} onConfirm={(c) => void confirm(c)} />
      {issuing && (
        <IssueForUserDialog
          open
          onClose={() => setIssuing(false)}
          onIssued={(i) => {
            setIssuing(false);
            navigate(`/issuances/${i.id}`);
          }}
        />
      )}
    </>
  );
}
