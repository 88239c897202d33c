// The statistics view of one credential or system: a period picker (today, 7 days, 30 days,
// custom), a stacked chart by status class, the date × status table with row and column
// totals, and an export of the table as CSV. Systems, tokens and the client cabinet show it,
// each with its own fetch function.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
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
import '../../i18n/sections/stats';
import { fileName } from '../../lib/download';
import { errorMessage } from '../../lib/errors';
import { TID } from '../../testids';
import { CLASS_COLORS, type ChartDatum } from './chartTypes';
import { StatsChart } from './StatsChart';
import { byClass, everyDay, periodRange, pivot, STATUS_CLASSES, toCsv, type Period, type PivotRow, type StatsReport } from './statsTable';

const PERIODS: Period[] = ['today', '7d', '30d', 'custom'];

/** StatsFetch reads the day × status rows for an inclusive UTC range. */
export type StatsFetch = (range: { from: string; to: string }, signal: AbortSignal) => Promise<StatsReport>;

interface StatsViewProps {
  /** The query key's stem; the range is appended. */
  queryKey: readonly unknown[];
  fetch: StatsFetch;
  /** The start of the CSV's file name (a system's or token's name). */
  fileBase: string;
  testId?: string;
}

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

export function StatsView({ queryKey, fetch, fileBase, testId = TID.statsView }: StatsViewProps) {
  const { t } = useTranslation();
  const [period, setPeriod] = useState<Period>('7d');
  const [custom, setCustom] = useState<[Dayjs, Dayjs] | null>(null);
  const [from, to] =
    period === 'custom' && custom ? [custom[0].format('YYYY-MM-DD'), custom[1].format('YYYY-MM-DD')] : periodRange(period === 'custom' ? '7d' : period);
  const q = useQuery({
    queryKey: [...queryKey, from, to],
    queryFn: ({ signal }) => fetch({ from, to }, signal),
    placeholderData: keepPreviousData,
  });
  const table = useMemo(() => pivot(q.data ?? { rows: [] }), [q.data]);
  // The chart shows every day of the period, quiet ones empty, so a bar's width and place
  // say when the requests came; the table lists only the days that have some.
  const chart = useMemo<ChartDatum[]>(() => {
    if (table.rows.length === 0) return [];
    const byDay = new Map(table.rows.map((r) => [r.day, byClass(r)]));
    const days = [...new Set([...everyDay(from, to), ...byDay.keys()])].sort();
    return days.map((day) => ({ day, ...(byDay.get(day) ?? {}) }));
  }, [table, from, to]);
  const labels = { date: t('statsView.date'), total: t('statsView.total') };
  const series = STATUS_CLASSES.filter((c) => chart.some((d) => d[c])).map((c) => ({ key: c, label: c, color: CLASS_COLORS[c] ?? '#999' }));

  const columns = [
    { key: 'day', title: labels.date, dataIndex: 'day' },
    ...table.statuses.map((s) => ({ key: String(s), title: String(s), align: 'right' as const, render: (_: unknown, r: PivotRow) => r.counts[s] ?? 0 })),
    { key: 'total', title: labels.total, dataIndex: 'total', align: 'right' as const },
  ];

  return (
    // A system's page disables its form for readers; these controls only read.
    <DisabledContextProvider disabled={false}>
      <div data-testid={testId}>
        <Space wrap style={{ marginBottom: 16 }}>
          <Radio.Group
            optionType="button"
            value={period}
            onChange={(e) => setPeriod(e.target.value as Period)}
            options={PERIODS.map((p) => ({ value: p, label: t(`statsView.periods.${p}`) }))}
            data-testid={TID.statsPeriod}
          />
          {period === 'custom' && (
            <DatePicker.RangePicker value={custom} onChange={(v) => setCustom(v && v[0] && v[1] ? [v[0], v[1]] : null)} aria-label={t('statsView.range')} />
          )}
          <Button
            icon={<DownloadOutlined />}
            disabled={table.rows.length === 0}
            onClick={() => download(fileName(fileBase, `-stats-${from}-${to}.csv`), toCsv(table, labels))}
            data-testid={TID.statsExport}
          >
            {t('statsView.export')}
          </Button>
        </Space>
        {q.error && <Alert type="error" showIcon message={errorMessage(t, q.error)} style={{ marginBottom: 16 }} />}
        <Typography.Paragraph data-testid={TID.statsTotal}>
          {t('statsView.totalLine', { from, to, total: q.data?.total ?? table.total })}
        </Typography.Paragraph>
        <StatsChart data={chart} series={series} label={t('statsView.chart')} testId={TID.statsChart} />
        <Table<PivotRow>
          size="small"
          rowKey="day"
          loading={q.isFetching}
          columns={columns}
          dataSource={table.rows}
          pagination={false}
          // A string would take antd's placeholder grey (1.8:1 on white); secondary text reads (WCAG AA).
          locale={{ emptyText: <Typography.Text type="secondary">{t('statsView.empty')}</Typography.Text> }}
          summary={() =>
            table.rows.length === 0 ? null : (
              <Table.Summary.Row data-testid={TID.statsTotals}>
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
