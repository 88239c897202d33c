// The Statistics tab: a period picker, the date × status table with row and column totals,
// the total, and an export of the table as CSV.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import { DisabledContextProvider } from 'antd/es/config-provider/DisabledContext';
import DatePicker from 'antd/es/date-picker';
import Radio from 'antd/es/radio';
import Space from 'antd/es/space';
import Table from 'antd/es/table';
import Typography from 'antd/es/typography';
import { DownloadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { errorMessage } from '../../../lib/errors';
import { TID } from '../../../testids';
import { useSystemStats } from '../api/stats';
import type { System } from '../api/types';
import { fileName } from '../lib/download';
import { StatsChart } from './StatsChart';
import { periodRange, pivot, toCsv, type Period, type PivotRow } from '../lib/statsTable';

const PERIODS: Period[] = ['today', '7d', '30d', 'custom'];

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function StatsTab({ system }: { system: System }) {
  const { t } = useTranslation();
  const [period, setPeriod] = useState<Period>('7d');
  const [custom, setCustom] = useState<[Dayjs, Dayjs] | null>(null);
  const [from, to] =
    period === 'custom' && custom ? [custom[0].format('YYYY-MM-DD'), custom[1].format('YYYY-MM-DD')] : periodRange(period === 'custom' ? '7d' : period);
  const q = useSystemStats(system.id, from, to);
  const table = useMemo(() => pivot(q.data ?? { rows: [] }), [q.data]);
  const labels = {
    date: t('systems.stats.date'),
    total: t('systems.stats.total'),
  };

  const columns = [
    { key: 'day', title: labels.date, dataIndex: 'day' },
    ...table.statuses.map((s) => ({
      key: String(s),
      title: String(s),
      align: 'right' as const,
      render: (_: unknown, r: PivotRow) => r.counts[s] ?? 0,
    })),
    {
      key: 'total',
      title: labels.total,
      dataIndex: 'total',
      align: 'right' as const,
    },
  ];

  return (
    // The page's form is disabled for readers; these controls only read, or check their own permission.
    <DisabledContextProvider disabled={false}>
      <div data-testid={TID.systemStats}>
        <Space wrap style={{ marginBottom: 16 }}>
          <Radio.Group
            optionType="button"
            value={period}
            onChange={(e) => setPeriod(e.target.value as Period)}
            options={PERIODS.map((p) => ({
              value: p,
              label: t(`systems.stats.periods.${p}`),
            }))}
            data-testid={TID.systemStatsPeriod}
          />
          {period === 'custom' && (
            <DatePicker.RangePicker value={custom} onChange={(v) => setCustom(v && v[0] && v[1] ? [v[0], v[1]] : null)} aria-label={t('systems.stats.range')} />
          )}
          <Button
            icon={<DownloadOutlined />}
            disabled={table.rows.length === 0}
            onClick={() => download(fileName(system.name, `-stats-${from}-${to}.csv`), toCsv(table, labels))}
            data-testid={TID.systemStatsExport}
          >
            {t('systems.stats.export')}
          </Button>
        </Space>
        {q.error && <Alert type="error" showIcon message={errorMessage(t, q.error)} style={{ marginBottom: 16 }} />}
        <Typography.Paragraph data-testid={TID.systemStatsTotal}>
          {t('systems.stats.totalLine', {
            from,
            to,
            total: q.data?.total ?? table.total,
          })}
        </Typography.Paragraph>
        <StatsChart table={table} />
        <Table<PivotRow>
          size="small"
          rowKey="day"
          loading={q.isFetching}
          columns={columns}
          dataSource={table.rows}
          pagination={false}
          locale={{ emptyText: t('systems.stats.empty') }}
          summary={() =>
            table.rows.length === 0 ? null : (
              <Table.Summary.Row data-testid={TID.systemStatsTotals}>
                <Table.Summary.Cell index={0}>
                  <strong>{labels.total}</strong>
                </Table.Summary.Cell>
                {table.statuses.map((s, i) => (
                  <Table.Summary.Cell key={s} index={i + 1} align="right">
                    {table.columnTotals[s] ?? 0}
                  </Table.Summary.Cell>
                ))}
                <Table.Summary.Cell index={table.statuses.length + 1} align="right">
                  <strong>{table.total}</strong>
                </Table.Summary.Cell>
              </Table.Summary.Row>
            )
          }
        />
      </div>
    </DisabledContextProvider>
  );
}
