export { StatsView, type StatsFetch } from './StatsView';
export { StatsChart } from './StatsChart';
export type { ChartDatum, ChartSeries } from './chartTypes';
export type { StatsReport } from './statsTable';
