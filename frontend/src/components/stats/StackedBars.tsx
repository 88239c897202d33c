// The recharts drawing behind StatsChart (its own lazy chunk): stacked bars per day with a
// legend and a tooltip. Animation is off: the figures matter, not the motion.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartDatum, ChartSeries } from './chartTypes';

const HEIGHT = 240;

export default function StackedBars({ data, series }: { data: ChartDatum[]; series: ChartSeries[] }) {
  return (
    // Without ResizeObserver (jsdom) the container keeps its initial size instead of zero.
    <ResponsiveContainer width="100%" height={HEIGHT} initialDimension={{ width: 800, height: HEIGHT }}>
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="day" tick={{ fontSize: 12 }} />
        <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={48} />
        <Tooltip />
        <Legend itemSorter={null} />
        {series.map((s) => (
          <Bar key={s.key} dataKey={s.key} name={s.label} stackId="day" fill={s.color} isAnimationActive={false} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
