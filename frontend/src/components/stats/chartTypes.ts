// The data of a stacked bar chart: one datum per day, one series per stack.

export interface ChartSeries {
  key: string;
  label: string;
  color: string;
}

export type ChartDatum = { day: string } & Record<string, number | string>;

/** CLASS_COLORS: the stacks of the status classes, green to red. */
export const CLASS_COLORS: Record<string, string> = { '2xx': '#52c41a', '3xx': '#1677ff', '4xx': '#faad14', '5xx': '#ff4d4f' };
