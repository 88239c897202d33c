// The system's certificates in the cabinet: status, validity and fingerprint; the CA
// certificate to download; and, where the administrator allows it, a new key pair made in
// the browser with its certificate (only the request goes to the server).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Button from 'antd/es/button';
import Tooltip from 'antd/es/tooltip';
import Typography from 'antd/es/typography';
import dayjs from 'dayjs';
import { DownloadOutlined, KeyOutlined } from '@ant-design/icons';
import { DataTable, useTableUrlState, type DataTableColumn } from '../../../components/DataTable';
import { CertificateStatusTag } from '../../../components/pki/CertificateStatusTag';
import { GenerateKeyDialog } from '../../../components/pki/GenerateKeyDialog';
import { formatDateTime } from '../../../lib/format';
import { TID } from '../../../testids';
import { useCabinetCertificates, useIssueCabinetCertificate } from '../api/cabinet';
import type { CabinetCertificate, CabinetSystem } from '../api/types';

const NO_FILTERS: string[] = [];
const day = (at: string) => dayjs(at).format('YYYY-MM-DD');

export function CertificatesTab({ system }: { system: CabinetSystem }) {
  const { t } = useTranslation();
  const table = useTableUrlState(NO_FILTERS);
  const list = useCabinetCertificates(system.id, table.params);
  const issue = useIssueCabinetCertificate(system.id);
  const [generating, setGenerating] = useState(false);

  const columns: DataTableColumn<CabinetCertificate>[] = [
    { key: 'subject', title: t('systems.certs.col.subject'), sortable: false, render: (c) => <div style={{ maxWidth: 280, wordBreak: 'break-word' }}>{c.subject}</div> },
    { key: 'status', title: t('systems.certs.col.status'), sortable: false, render: (c) => <CertificateStatusTag cert={c} /> },
    {
      key: 'not_after',
      title: t('systems.certs.col.notAfter'),
      render: (c) => (
        <Tooltip title={`${formatDateTime(c.not_before)} — ${formatDateTime(c.not_after)}`}>
          <span style={{ whiteSpace: 'nowrap' }} data-testid={TID.cabinetCertValidity}>
            {day(c.not_before)} — {day(c.not_after)}
          </span>
        </Tooltip>
      ),
    },
    {
      key: 'fingerprint_sha256',
      title: t('systems.certs.col.fingerprint'),
      sortable: false,
      render: (c) => (
        <Typography.Text
          code
          style={{ fontSize: 12, wordBreak: 'break-all' }}
          data-testid={TID.certFingerprint}
          copyable={{ text: c.fingerprint_sha256, tooltips: [t('systems.certs.copyFingerprint'), t('systems.certs.copied')] }}
        >
          {c.fingerprint_sha256}
        </Typography.Text>
      ),
    },
  ];

  const actions = (
    <>
      <Button icon={<DownloadOutlined />} href="/pki/ca.crt" download="ca.crt" data-testid={TID.cabinetCaDownload}>
        {t('cabinet.certs.downloadCa')}
      </Button>
      {system.client_may_issue && (
        <Button type="primary" icon={<KeyOutlined />} onClick={() => setGenerating(true)} data-testid={TID.cabinetCertGenerate}>
          {t('cabinet.certs.generate')}
        </Button>
      )}
    </>
  );

  return (
    <div data-testid={TID.cabinetCertificates}>
      <DataTable<CabinetCertificate>
        title={t('cabinet.tabs.certs')}
        table={table}
        columns={columns}
        data={list.data}
        loading={list.isFetching}
        error={list.error}
        rowLabel={(c) => c.subject}
        showSearch={false}
        headerExtra={<div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>{actions}</div>}
      />
      <Typography.Paragraph type="secondary">{t('cabinet.certs.intro')}</Typography.Paragraph>
      <GenerateKeyDialog
        systemName={system.name}
        title={t('cabinet.certs.generate')}
        issue={(input) => issue.mutateAsync(input)}
        open={generating}
        onClose={() => setGenerating(false)}
      />
    </div>
  );
}
