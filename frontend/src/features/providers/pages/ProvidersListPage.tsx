// The providers list (SPEC §4.1): type and activity filters, search by name, 3-state sort
// on every column, paging, selection with the bulk bar, row menu and double-click to edit.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import App from 'antd/es/app';
import Button from 'antd/es/button';
import Tag from 'antd/es/tag';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { DataTable, useListPage, type DataTableColumn, type FilterDef } from '../../../components/DataTable';
import { errorMessage } from '../../../lib/errors';
import { TID } from '../../../testids';
import { exportProviders, providers } from '../api/providers';
import { PROVIDER_TYPES, type Provider } from '../api/types';
import { ImportDialog } from '../components/ImportDialog';
import { ProviderBulkActions } from '../components/ProviderBulkActions';
import { ProviderDeleteUsers } from '../components/ProviderDeleteUsers';
import { downloadJson, exportFilename } from '../components/transfer';

export function ProvidersListPage() {
  const { t } = useTranslation();
  const { notification } = App.useApp();
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
  const page = useListPage({ resource: providers, path: '/providers', writePermission: 'providers.write', filters, rowLabel: (p) => p.name });
  const { canWrite } = page;

  const columns: DataTableColumn<Provider>[] = [
    { key: 'name', title: t('providers.fields.name') },
    { key: 'type', title: t('providers.fields.type'), render: (p) => t(`providers.types.${p.type}`) },
    {
      key: 'active',
      title: t('providers.fields.activity'),
      render: (p) => (p.active ? <Tag color="green">{t('providers.activeTag')}</Tag> : <Tag>{t('providers.inactiveTag')}</Tag>),
    },
  ];

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
        {...page.tableProps}
        title={t('providers.title')}
        columns={columns}
        searchPlaceholder={t('providers.searchPlaceholder')}
        deleteDisabledReason={(p) =>
          p.type === 'local' ? t('providers.deleteReason.local') : p.active ? t('providers.deleteReason.active') : undefined
        }
        deleteConfirmExtra={(ids) => <ProviderDeleteUsers ids={ids} />}
        bulkExtra={(ids) => <ProviderBulkActions ids={ids} canWrite={canWrite} labelOf={page.labelOf} />}
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
