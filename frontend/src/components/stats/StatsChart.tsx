// A stacked bar per day: the chart of every statistics view (by status class) and of the
// home dashboard (successful and failed requests). The chart library (recharts) is loaded
// with React.lazy, so it is its own chunk and only pages that draw a chart fetch it.
import { lazy, Suspense } from 'react';
import type { ChartDatum, ChartSeries } from './chartTypes';

const StackedBars = lazy(() => import('./StackedBars'));

export const CHART_HEIGHT = 240;

interface StatsChartProps {
  /** One entry per day: `day` and a number per series key. */
  data: ChartDatum[];
  series: ChartSeries[];
  /** The accessible name of the chart. */
  label: string;
  testId?: string;
}

export function StatsChart({ data, series, label, testId }: StatsChartProps) {
  if (data.length === 0) return null;
  return (
    <div data-testid={testId} role="figure" aria-label={label} style={{ marginBottom: 16, height: CHART_HEIGHT }}>
      <Suspense fallback={<div style={{ height: CHART_HEIGHT }} />}>
        <StackedBars data={data} series={series} />
      </Suspense>
    </div>
  );
}
