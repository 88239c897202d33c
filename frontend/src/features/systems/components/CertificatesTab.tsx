// «Сертификаты информационных систем» of one system: the DataTable of its certificates
// (status filter and sort in the URL), the enabled switch, revoke, and the three ways in.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import App from 'antd/es/app';
import Button from 'antd/es/button';
import ConfigProvider from 'antd/es/config-provider';
import Typography from 'antd/es/typography';
import { KeyOutlined, PlusOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { DataTable, filterParamKeys, useTableUrlState } from '../../../components/DataTable';
import { errorMessage } from '../../../lib/errors';
import { TID } from '../../../testids';
import { GenerateKeyDialog } from '../../../components/pki/GenerateKeyDialog';
import { useAddCertificate, useCertificates, useSetCertificateEnabled } from '../api/systems';
import type { Certificate, System } from '../api/types';
import { BundleDialog } from './BundleDialog';
import { certificateColumns, certificateFilters } from './certificateColumns';
import { ManualDialog } from './ManualDialog';
import { RevokeDialog } from './RevokeDialog';

type Open = 'generate' | 'bundle' | 'manual' | null;

export function CertificatesTab({ system, canWrite }: { system: System; canWrite: boolean }) {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const filters = certificateFilters(t);
  const table = useTableUrlState(filterParamKeys(filters));
  const list = useCertificates(system.id, table.params);
  const toggle = useSetCertificateEnabled(system.id);
  const add = useAddCertificate(system.id);
  const [open, setOpen] = useState<Open>(null);
  const [revoking, setRevoking] = useState<Certificate | null>(null);

  const onToggle = (cert: Certificate, enabled: boolean) =>
    toggle.mutate({ cert, enabled }, { onError: (e) => notification.error({ message: errorMessage(t, e) }) });

  // The three ways in wrap onto a second row beside the heading rather than squeeze it.
  const actions = canWrite ? (
    <div style={{ display: 'flex', flexWrap: 'wrap', justifyContent: 'flex-end', gap: 8, maxWidth: 560 }}>
      <Button icon={<PlusOutlined />} onClick={() => setOpen('manual')} data-testid={TID.certManual}>
        {t('systems.certs.manual')}
      </Button>
      <Button icon={<SafetyCertificateOutlined />} onClick={() => setOpen('bundle')} data-testid={TID.certBundle}>
        {t('systems.certs.bundle')}
      </Button>
      <Button type="primary" icon={<KeyOutlined />} onClick={() => setOpen('generate')} data-testid={TID.certGenerate}>
        {t('systems.certs.generate')}
      </Button>
    </div>
  ) : null;

  // The tab sits inside the system's form, which is disabled for readers; the table's
  // filters and paging stay usable for them.
  return (
    <ConfigProvider componentDisabled={false}>
    <div data-testid={TID.systemCertificates}>
      <DataTable<Certificate>
        title={t('systems.certs.title')}
        table={table}
        filters={filters}
        columns={certificateColumns(t, { canWrite, onToggle, onRevoke: setRevoking })}
        data={list.data}
        loading={list.isFetching}
        error={list.error}
        rowLabel={(c) => c.subject}
        showSearch={false}
        headerExtra={actions}
      />
      <Typography.Paragraph type="secondary">{t('systems.certs.intro')}</Typography.Paragraph>
      <GenerateKeyDialog
        systemName={system.name}
        issue={(input) => add.mutateAsync({ method: 'csr', ...input })}
        open={open === 'generate'}
        onClose={() => setOpen(null)}
      />
      <BundleDialog systemId={system.id} systemName={system.name} open={open === 'bundle'} onClose={() => setOpen(null)} />
      <ManualDialog systemId={system.id} open={open === 'manual'} onClose={() => setOpen(null)} />
      <RevokeDialog systemId={system.id} cert={revoking} onClose={() => setRevoking(null)} />
    </div>
    </ConfigProvider>
  );
}
