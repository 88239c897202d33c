// Turning a statistics answer ({day, status, count} rows) into the date × status table the
// statistics view shows and exports, with row and column totals.
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import type { definitions } from '../../api/schema';

/** StatsReport is the answer of every …/stats endpoint (systems, tokens, the cabinet). */
export type StatsReport = definitions['stats.Report'];

dayjs.extend(utc);

export type Period = 'today' | '7d' | '30d' | 'custom';

/** periodRange gives the inclusive UTC days [from, to] of a preset period. */
export function periodRange(p: Exclude<Period, 'custom'>, now = dayjs.utc()): [string, string] {
  const to = now.utc().format('YYYY-MM-DD');
  const back = p === 'today' ? 0 : p === '7d' ? 6 : 29;
  return [now.utc().subtract(back, 'day').format('YYYY-MM-DD'), to];
}

/** everyDay lists the UTC days from..to inclusive (at most 400: the longest range a query may ask). */
export function everyDay(from: string, to: string): string[] {
  const out: string[] = [];
  let d = dayjs.utc(from);
  const end = dayjs.utc(to);
  while (!d.isAfter(end) && out.length < 400) {
    out.push(d.format('YYYY-MM-DD'));
    d = d.add(1, 'day');
  }
  return out;
}

export interface PivotRow {
  day: string;
  counts: Record<number, number>;
  total: number;
}

export interface Pivot {
  statuses: number[];
  rows: PivotRow[];
  columnTotals: Record<number, number>;
  total: number;
}

/** pivot groups rows by day (ascending) with one column per status seen. */
export function pivot(report: Pick<StatsReport, 'rows'>): Pivot {
  const statuses = new Set<number>();
  const byDay = new Map<string, PivotRow>();
  const columnTotals: Record<number, number> = {};
  let total = 0;
  for (const r of report.rows) {
    if (r.day === undefined || r.status === undefined) continue;
    statuses.add(r.status);
    const row = byDay.get(r.day) ?? { day: r.day, counts: {}, total: 0 };
    row.counts[r.status] = (row.counts[r.status] ?? 0) + r.count;
    row.total += r.count;
    byDay.set(r.day, row);
    columnTotals[r.status] = (columnTotals[r.status] ?? 0) + r.count;
    total += r.count;
  }
  return {
    statuses: [...statuses].sort((a, b) => a - b),
    rows: [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day)),
    columnTotals,
    total,
  };
}

/** statusClass names a status's class for the chart: 2xx, 3xx, 4xx or 5xx. */
export function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}

export const STATUS_CLASSES = ['2xx', '3xx', '4xx', '5xx'] as const;

/** byClass sums a day's counts per status class (the chart's stacks). */
export function byClass(r: PivotRow): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [s, n] of Object.entries(r.counts)) out[statusClass(Number(s))] = (out[statusClass(Number(s))] ?? 0) + n;
  return out;
}

/** toCsv writes the table: a header, a line per day, and the totals line. */
export function toCsv(p: Pivot, labels: { date: string; total: string }): string {
  const esc = (s: string) => (/[",\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [[labels.date, ...p.statuses.map(String), labels.total].map(esc).join(',')];
  for (const r of p.rows) lines.push([r.day, ...p.statuses.map((s) => String(r.counts[s] ?? 0)), String(r.total)].join(','));
  lines.push([esc(labels.total), ...p.statuses.map((s) => String(p.columnTotals[s] ?? 0)), String(p.total)].join(','));
  return `${lines.join('\r\n')}\r\n`;
}
