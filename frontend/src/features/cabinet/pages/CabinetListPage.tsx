// «Кабинет клиента»: the systems whose owner group the caller is in. With exactly one, the
// cabinet opens it directly (a client usually has one system).
import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router-dom';
import Alert from 'antd/es/alert';
import Table from 'antd/es/table';
import Tag from 'antd/es/tag';
import Typography from 'antd/es/typography';
import { PageSpinner } from '../../../app/PageSpinner';
import { PageHeader } from '../../../components/PageHeader';
import { errorMessage } from '../../../lib/errors';
import { TID } from '../../../testids';
import { useCabinetSystems } from '../api/cabinet';
import type { CabinetSystem } from '../api/types';

export function CabinetListPage() {
  const { t } = useTranslation();
  const q = useCabinetSystems();
  if (q.isPending) return <PageSpinner />;
  const items = q.data?.items ?? [];
  if (items.length === 1 && items[0]) return <Navigate to={`/cabinet/${items[0].id}`} replace />;
  return (
    <div data-testid={TID.cabinetList}>
      <PageHeader title={t('cabinet.title')} />
      <Typography.Paragraph type="secondary">{t('cabinet.intro')}</Typography.Paragraph>
      {q.error && <Alert type="error" showIcon message={errorMessage(t, q.error)} style={{ marginBottom: 16 }} />}
      <Table<CabinetSystem>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={items}
        locale={{ emptyText: t('cabinet.empty') }}
        columns={[
          { key: 'name', title: t('systems.name'), render: (_, s) => <Link to={`/cabinet/${s.id}`}>{s.name}</Link> },
          { key: 'description', title: t('systems.description'), dataIndex: 'description' },
          {
            key: 'enabled',
            title: t('systems.enabled'),
            render: (_, s) => <Tag color={s.enabled ? 'green' : 'default'}>{s.enabled ? t('systems.on') : t('systems.off')}</Tag>,
          },
          { key: 'certificate_count', title: t('cabinet.certificateCount'), dataIndex: 'certificate_count', align: 'right' },
        ]}
      />
    </div>
  );
}
