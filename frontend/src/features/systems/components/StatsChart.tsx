// A plain bar per day, stacked by status class (2xx, 3xx, 4xx, 5xx): no chart library.
import { useTranslation } from 'react-i18next';
import Space from 'antd/es/space';
import { TID } from '../../../testids';
import { statusClass, type Pivot } from '../lib/statsTable';

const CLASSES = ['2xx', '3xx', '4xx', '5xx'] as const;
const COLORS: Record<(typeof CLASSES)[number], string> = { '2xx': '#52c41a', '3xx': '#1677ff', '4xx': '#faad14', '5xx': '#ff4d4f' };
const HEIGHT = 120;

export function StatsChart({ table }: { table: Pivot }) {
  const { t } = useTranslation();
  if (table.rows.length === 0) return null;
  const max = Math.max(...table.rows.map((r) => r.total), 1);
  return (
    <div data-testid={TID.systemStatsChart} role="img" aria-label={t('systems.stats.chart')} style={{ marginBottom: 16 }}>
      <div style={{ display: 'flex', alignItems: 'flex-end', gap: 2, height: HEIGHT, borderBottom: '1px solid #d9d9d9' }}>
        {table.rows.map((r) => {
          const byClass: Record<string, number> = {};
          for (const [s, n] of Object.entries(r.counts)) byClass[statusClass(Number(s))] = (byClass[statusClass(Number(s))] ?? 0) + n;
          const title = `${r.day}: ${CLASSES.filter((c) => byClass[c])
            .map((c) => `${c} ${byClass[c]}`)
            .join(', ')}`;
          return (
            <div
              key={r.day}
              title={title}
              style={{ flex: 1, maxWidth: 32, display: 'flex', flexDirection: 'column-reverse', height: (r.total / max) * HEIGHT }}
            >
              {CLASSES.filter((c) => byClass[c]).map((c) => (
                <div key={c} style={{ background: COLORS[c], height: `${((byClass[c] ?? 0) / r.total) * 100}%` }} />
              ))}
            </div>
          );
        })}
      </div>
      <Space size="middle" style={{ marginTop: 4, fontSize: 12 }}>
        {CLASSES.map((c) => (
          <span key={c}>
            <span style={{ display: 'inline-block', width: 10, height: 10, background: COLORS[c], marginRight: 4 }} />
            {c}
          </span>
        ))}
      </Space>
    </div>
  );
}
