// The providers list (SPEC §4.1): type and activity filters, search by name, 3-state sort
// on every column, paging, selection with the bulk bar, row menu and double-click to edit.
import { useRef, useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import App from 'antd/es/app';
import Button from 'antd/es/button';
import Tag from 'antd/es/tag';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { usePermissions } from '../../../api/auth';
import { DataTable, filterParamKeys, useTableUrlState, type DataTableColumn, type FilterDef } from '../../../components/DataTable';
import { errorMessage } from '../../../lib/errors';
import { TID } from '../../../testids';
import { exportProviders, providers } from '../api/providers';
import { PROVIDER_TYPES, type Provider } from '../api/types';
import { ImportDialog } from '../components/ImportDialog';
import { ProviderBulkActions } from '../components/ProviderBulkActions';
import { downloadJson, exportFilename } from '../components/transfer';

export function ProvidersListPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const { notification } = App.useApp();
  const { has } = usePermissions();
  const canWrite = has('providers.write');
  const [importing, setImporting] = useState(false);

  const filters: FilterDef[] = [
    {
      type: 'select',
      key: 'type',
      label: t('providers.filter.type'),
      allLabel: t('providers.filter.allTypes'),
      options: PROVIDER_TYPES.map((v) => ({ value: v, label: t(`providers.types.${v}`) })),
    },
    {
      type: 'select',
      key: 'active',
      label: t('providers.filter.activity'),
      allLabel: t('providers.filter.allActivity'),
      options: [
        { value: 'true', label: t('providers.filter.active') },
        { value: 'false', label: t('providers.filter.inactive') },
      ],
    },
  ];
  const table = useTableUrlState(filterParamKeys(filters));
  const list = providers.useList(table.params);
  const bulkDelete = providers.useBulkDelete();
  // Names of every row seen, for reports on a selection that spans pages.
  const names = useRef(new Map<string, string>());
  (list.data?.items ?? []).forEach((p) => names.current.set(p.id, p.name));

  const columns: DataTableColumn<Provider>[] = [
    { key: 'name', title: t('providers.fields.name') },
    { key: 'type', title: t('providers.fields.type'), render: (p) => t(`providers.types.${p.type}`) },
    {
      key: 'active',
      title: t('providers.fields.activity'),
      render: (p) => (p.active ? <Tag color="green">{t('providers.activeTag')}</Tag> : <Tag>{t('providers.inactiveTag')}</Tag>),
    },
  ];

  const back = { state: { back: location.search } };
  const exportAll = async () => {
    try {
      downloadJson(await exportProviders([]), exportFilename());
    } catch (e) {
      notification.error({ message: errorMessage(t, e) });
    }
  };

  return (
    <>
      <DataTable<Provider>
        title={t('providers.title')}
        table={table}
        filters={filters}
        columns={columns}
        data={list.data}
        loading={list.isFetching}
        error={list.error}
        searchPlaceholder={t('providers.searchPlaceholder')}
        rowLabel={(p) => p.name}
        onAdd={canWrite ? () => navigate('/providers/new', back) : undefined}
        onEdit={(id) => navigate(`/providers/${id}`, back)}
        onBulkDelete={canWrite ? (ids) => bulkDelete.mutateAsync(ids) : undefined}
        deleteDisabledReason={(p) =>
          p.type === 'local' ? t('providers.deleteReason.local') : p.active ? t('providers.deleteReason.active') : undefined
        }
        bulkExtra={(ids) => <ProviderBulkActions ids={ids} canWrite={canWrite} labelOf={(id) => names.current.get(id) ?? id} />}
        headerExtra={
          <>
            {canWrite && (
              <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid={TID.providerImport}>
                {t('providers.import.button')}
              </Button>
            )}
            <Button icon={<DownloadOutlined />} onClick={() => void exportAll()} data-testid={TID.providerExportAll}>
              {t('providers.exportAll')}
            </Button>
          </>
        }
      />
      <ImportDialog open={importing} onClose={() => setImporting(false)} />
    </>
  );
}
