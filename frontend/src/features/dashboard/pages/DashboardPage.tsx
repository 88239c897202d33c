// The console's home page: requests per day over the last 30 days (successful and errors),
// certificates and access tokens expiring soon, and failed webhook deliveries of the last
// 7 days. Each card shows only when the server sent its section (the caller's permissions).
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import Alert from 'antd/es/alert';
import Card from 'antd/es/card';
import Col from 'antd/es/col';
import List from 'antd/es/list';
import Row from 'antd/es/row';
import Statistic from 'antd/es/statistic';
import Typography from 'antd/es/typography';
import dayjs from 'dayjs';
import { PageSpinner } from '../../../app/PageSpinner';
import { PageHeader } from '../../../components/PageHeader';
import { StatsChart } from '../../../components/stats';
import { errorMessage } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { TID } from '../../../testids';
import { useDashboard, type Dashboard } from '../api/dashboard';

const day = (at: string) => dayjs(at).format('YYYY-MM-DD');

function Expiring<T extends { id: string }>(p: {
  title: string;
  testId: string;
  count: number;
  items: T[];
  render: (item: T) => ReactNode;
  footer: ReactNode;
}) {
  const { t } = useTranslation();
  const rest = p.count - p.items.length;
  return (
    <Card title={p.title} size="small" data-testid={p.testId} extra={<Typography.Text strong>{p.count}</Typography.Text>}>
      <List size="small" dataSource={p.items} locale={{ emptyText: t('dashboard.noneExpiring') }} renderItem={(i) => <List.Item>{p.render(i)}</List.Item>} />
      <div style={{ marginTop: 8 }}>
        {rest > 0 && <Typography.Text type="secondary">{t('dashboard.more', { count: rest })} · </Typography.Text>}
        {p.footer}
      </div>
    </Card>
  );
}

function RequestsCard({ r }: { r: NonNullable<Dashboard['requests']> }) {
  const { t } = useTranslation();
  const data = r.days.map((d) => ({ day: d.day, ok: d.total - d.errors, errors: d.errors }));
  return (
    <Card title={t('dashboard.requests')} size="small" data-testid={TID.dashboardRequests}>
      <Row gutter={32} style={{ marginBottom: 8 }}>
        <Col>
          <Statistic title={t('dashboard.requestsTotal')} value={r.total} data-testid={TID.dashboardRequestsTotal} />
        </Col>
        <Col>
          <Statistic
            title={t('dashboard.requestsErrors')}
            value={r.errors}
            valueStyle={r.errors > 0 ? { color: '#cf1322' } : undefined}
            data-testid={TID.dashboardRequestsErrors}
          />
        </Col>
      </Row>
      {r.total === 0 ? (
        <Typography.Text type="secondary">{t('dashboard.noRequests')}</Typography.Text>
      ) : (
        <StatsChart
          data={data}
          label={t('dashboard.chart')}
          testId={TID.dashboardChart}
          series={[
            { key: 'ok', label: t('dashboard.ok'), color: '#52c41a' },
            { key: 'errors', label: t('dashboard.errors'), color: '#ff4d4f' },
          ]}
        />
      )}
    </Card>
  );
}

export function DashboardPage() {
  const { t } = useTranslation();
  const q = useDashboard();
  if (q.isPending) return <PageSpinner />;
  const d = q.data;
  return (
    <div data-testid={TID.dashboard}>
      <PageHeader title={t('dashboard.title')} />
      {q.error && <Alert type="error" showIcon message={errorMessage(t, q.error)} style={{ marginBottom: 16 }} />}
      <Row gutter={[16, 16]}>
        {d?.requests && (
          <Col span={24}>
            <RequestsCard r={d.requests} />
          </Col>
        )}
        {d?.expiring_certificates && (
          <Col xs={24} lg={12}>
            <Expiring
              title={t('dashboard.expiringCertificates')}
              testId={TID.dashboardCertificates}
              count={d.expiring_certificates.count}
              items={d.expiring_certificates.items}
              footer={<Link to="/systems">{t('dashboard.openSystems')}</Link>}
              render={(c) => (
                <span title={formatDateTime(c.not_after)}>
                  <Link to={`/systems/${encodeURIComponent(c.system_id)}`}>{c.system_name}</Link>{' '}
                  <Typography.Text type="secondary">
                    {c.subject} · {t('dashboard.expiresOn', { date: day(c.not_after) })}
                  </Typography.Text>
                </span>
              )}
            />
          </Col>
        )}
        {d?.expiring_tokens && (
          <Col xs={24} lg={12}>
            <Expiring
              title={t('dashboard.expiringTokens')}
              testId={TID.dashboardTokens}
              count={d.expiring_tokens.count}
              items={d.expiring_tokens.items}
              footer={<Link to="/access-tokens">{t('dashboard.openTokens')}</Link>}
              render={(tok) => (
                <span title={formatDateTime(tok.expires_at)}>
                  <Link to={`/access-tokens?open=${encodeURIComponent(tok.id)}`}>{tok.name}</Link>{' '}
                  <Typography.Text type="secondary">{t('dashboard.expiresOn', { date: day(tok.expires_at) })}</Typography.Text>
                </span>
              )}
            />
          </Col>
        )}
        {d?.failed_deliveries && (
          <Col xs={24} lg={12}>
            <Card title={t('dashboard.failedDeliveries')} size="small" data-testid={TID.dashboardDeliveries}>
              <Statistic value={d.failed_deliveries.count} valueStyle={d.failed_deliveries.count > 0 ? { color: '#cf1322' } : undefined} />
              <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
                {t('dashboard.failedDeliveriesHint')} <Link to="/systems">{t('dashboard.openSystems')}</Link>
              </Typography.Paragraph>
            </Card>
          </Col>
        )}
      </Row>
    </div>
  );
}
