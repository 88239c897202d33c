// The columns and filters of a system's certificates table.
import type { TFunction } from 'i18next';
import Button from 'antd/es/button';
import Switch from 'antd/es/switch';
import Tooltip from 'antd/es/tooltip';
import Typography from 'antd/es/typography';
import dayjs from 'dayjs';
import { StopOutlined } from '@ant-design/icons';
import type { DataTableColumn, FilterDef } from '../../../components/DataTable';
import { formatDateTime } from '../../../lib/format';
import { TID } from '../../../testids';
import type { Certificate } from '../api/types';
import { CertificateStatusTag } from '../../../components/pki/CertificateStatusTag';

/** shortFingerprint keeps the start and end of a SHA-256 fingerprint (the whole is copyable). */
export function shortFingerprint(hex: string): string {
  return hex.length > 16 ? `${hex.slice(0, 8)}…${hex.slice(-8)}` : hex;
}

export function certificateFilters(t: TFunction): FilterDef[] {
  return [
    {
      type: 'select',
      key: 'status',
      label: t('systems.certs.col.status'),
      allLabel: t('systems.certs.allStatuses'),
      options: (['active', 'disabled', 'revoked', 'expired'] as const).map((s) => ({ value: s, label: t(`systems.certs.status.${s}`) })),
    },
  ];
}

interface ColumnOptions {
  canWrite: boolean;
  onToggle: (cert: Certificate, enabled: boolean) => void;
  onRevoke: (cert: Certificate) => void;
}

export function certificateColumns(t: TFunction, { canWrite, onToggle, onRevoke }: ColumnOptions): DataTableColumn<Certificate>[] {
  return [
    {
      key: 'subject',
      title: t('systems.certs.col.subject'),
      sortable: false,
      render: (c) => (
        <div style={{ maxWidth: 240, wordBreak: 'break-word' }}>
          {c.subject}
          <br />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(`systems.certs.origins.${c.origin}`)} · {c.key_algorithm}
          </Typography.Text>
        </div>
      ),
    },
    {
      key: 'serial',
      title: t('systems.certs.col.serial'),
      sortable: false,
      render: (c) => (
        <Tooltip title={c.serial}>
          <Typography.Text code style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
            {c.serial.length > 10 ? `${c.serial.slice(0, 10)}…` : c.serial}
          </Typography.Text>
        </Tooltip>
      ),
    },
    {
      key: 'fingerprint_sha256',
      title: t('systems.certs.col.fingerprint'),
      sortable: false,
      render: (c) => (
        <Tooltip title={c.fingerprint_sha256}>
          <Typography.Text
            code
            style={{ fontSize: 12, whiteSpace: 'nowrap' }}
            data-testid={TID.certFingerprint}
            copyable={{ text: c.fingerprint_sha256, tooltips: [t('systems.certs.copyFingerprint'), t('systems.certs.copied')] }}
          >
            {shortFingerprint(c.fingerprint_sha256)}
          </Typography.Text>
        </Tooltip>
      ),
    },
    {
      key: 'not_after',
      title: t('systems.certs.col.notAfter'),
      render: (c) => (
        <Tooltip title={`${formatDateTime(c.not_before)} — ${formatDateTime(c.not_after)}`}>
          <span style={{ whiteSpace: 'nowrap' }}>{dayjs(c.not_after).format('YYYY-MM-DD')}</span>
        </Tooltip>
      ),
    },
    { key: 'status', title: t('systems.certs.col.status'), sortable: false, render: (c) => <CertificateStatusTag cert={c} /> },
    {
      key: 'enabled',
      title: t('systems.certs.col.enabled'),
      sortable: false,
      render: (c) => (
        <Switch
          size="small"
          checked={c.enabled}
          disabled={!canWrite || c.status === 'revoked'}
          aria-label={t('systems.certs.enabledFor', { subject: c.subject })}
          data-testid={TID.certEnabled}
          onChange={(on) => onToggle(c, on)}
        />
      ),
    },
    {
      key: 'revoke',
      title: '',
      sortable: false,
      render: (c) =>
        canWrite && c.status !== 'revoked' ? (
          <Tooltip title={t('systems.certs.revoke')}>
            <Button size="small" type="text" danger icon={<StopOutlined />} aria-label={t('systems.certs.revoke')} data-testid={TID.certRevoke} onClick={() => onRevoke(c)} />
          </Tooltip>
        ) : null,
    },
  ];
}
