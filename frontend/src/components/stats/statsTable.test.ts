import { describe, expect, it } from 'vitest';
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import { periodRange, pivot, toCsv, everyDay } from './statsTable';

dayjs.extend(utc);

describe('statsTable', () => {
  it('pivots day × status rows with row and column totals, and writes them as CSV', () => {
    const p = pivot({
      rows: [
        { day: '2026-11-02', status: 500, count: 1 },
        { day: '2026-11-01', status: 200, count: 5 },
        { day: '2026-11-01', status: 404, count: 2 },
        { day: '2026-11-02', status: 200, count: 3 },
      ],
    });
    expect(p.statuses).toEqual([200, 404, 500]);
    expect(p.rows.map((r) => [r.day, r.total])).toEqual([['2026-11-01', 7], ['2026-11-02', 4]]);
    expect(p.columnTotals).toEqual({ 200: 8, 404: 2, 500: 1 });
    expect(p.total).toBe(11);
    expect(toCsv(p, { date: 'Date (UTC)', total: 'Total' })).toBe(
      'Date (UTC),200,404,500,Total\r\n2026-11-01,5,2,0,7\r\n2026-11-02,3,0,1,4\r\nTotal,8,2,1,11\r\n',
    );
  });

  it('gives inclusive UTC ranges for the presets', () => {
    const now = dayjs.utc('2026-12-02T23:30:00Z');
    expect(periodRange('today', now)).toEqual(['2026-12-02', '2026-12-02']);
    expect(periodRange('7d', now)).toEqual(['2026-11-26', '2026-12-02']);
    expect(periodRange('30d', now)).toEqual(['2026-11-03', '2026-12-02']);
  });
});

describe('everyDay', () => {
  it('lists each UTC day of an inclusive range, across a month end', () => {
    expect(everyDay('2026-11-29', '2026-12-02')).toEqual(['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02']);
    expect(everyDay('2026-12-02', '2026-12-02')).toEqual(['2026-12-02']);
    expect(everyDay('2026-12-03', '2026-12-02')).toEqual([]);
  });
});
