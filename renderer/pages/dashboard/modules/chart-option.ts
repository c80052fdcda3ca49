import type { StatsMetric, StatsSeries } from '@shared/dto/analytics'
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts'
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components'
import type { ComposeOption } from 'echarts/core'
import { metricOf, type Formatters } from '../format'

/** The option shape of the usage chart: only the parts registered with `use()`. */
export type UsageChartOption = ComposeOption<LineSeriesOption | BarSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption>

/** One line of the chart as the page shows it (label translated, values of the chosen metric). */
export interface ChartLine {
  name: string
  values: number[]
  total: number
}

/** The chart's table: bucket labels and one line per series. */
export interface ChartTable {
  buckets: string[]
  lines: ChartLine[]
}

/** Turns the API's series into labelled lines of one metric; `labelOf` translates "all" and "other". */
export function chartTable(data: StatsSeries, metric: StatsMetric, fmt: Formatters, labelOf: (key: string | null, label: string) => string): ChartTable {
  const buckets = (data.series[0]?.points ?? []).map(p => fmt.bucket(p.t, data.bucket))
  const lines = data.series.map(s => {
    const values = s.points.map(p => metricOf(p, metric))
    return { name: labelOf(s.key, s.label), values, total: values.reduce((a, b) => a + b, 0) }
  })
  return { buckets, lines }
}

// Names come from users (models, channels, keys) and the tooltip is HTML.
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const escape = (text: string): string => text.replace(/[&<>"']/g, c => ESCAPES[c] ?? c)

interface AxisParam {
  seriesName?: string
  value?: unknown
  marker?: unknown
  axisValueLabel?: string
}

/**
 * Stacked areas for the hours of a day, stacked bars for days; transparent so the card's
 * background (light or dark) shows through; values in the tooltip and on the axis formatted.
 */
export function chartOption(table: ChartTable, options: { metric: StatsMetric; hourly: boolean; legend: boolean; fmt: Formatters; totalLabel: string }): UsageChartOption {
  const { metric, fmt } = options
  const format = (v: number): string => fmt.metric(v, metric)
  const series: (LineSeriesOption | BarSeriesOption)[] = table.lines.map(line =>
    options.hourly
      ? { type: 'line', name: line.name, data: line.values, stack: 'usage', areaStyle: { opacity: 0.22 }, showSymbol: false, lineStyle: { width: 1.5 }, emphasis: { focus: 'series' } }
      : { type: 'bar', name: line.name, data: line.values, stack: 'usage', barMaxWidth: 32, emphasis: { focus: 'series' } }
  )
  return {
    backgroundColor: 'transparent',
    animationDuration: 300,
    grid: { left: 8, right: 12, top: options.legend ? 40 : 14, bottom: 4 },
    legend: { show: options.legend, type: 'scroll', top: 0, left: 0, right: 0, icon: 'roundRect', itemWidth: 12, itemHeight: 8 },
    tooltip: {
      trigger: 'axis',
      confine: true,
      axisPointer: { type: options.hourly ? 'line' : 'shadow' },
      formatter: raw => tooltipHtml(Array.isArray(raw) ? (raw as AxisParam[]) : [raw as AxisParam], format, options.totalLabel)
    },
    xAxis: { type: 'category', data: table.buckets, boundaryGap: !options.hourly, axisTick: { alignWithLabel: true } },
    yAxis: { type: 'value', minInterval: metric === 'cost' ? 0 : 1, axisLabel: { formatter: (v: number) => format(v) }, splitLine: { lineStyle: { type: 'dashed', opacity: 0.6 } } },
    series
  }
}

function tooltipHtml(params: AxisParam[], format: (v: number) => string, totalLabel: string): string {
  const rows = params.map(p => ({ name: p.seriesName ?? '', value: Number(p.value ?? 0), marker: typeof p.marker === 'string' ? p.marker : '' }))
  const total = rows.reduce((sum, r) => sum + r.value, 0)
  // Largest first and quiet series left out, so a busy hour reads from the top.
  const shown = rows.filter(r => r.value > 0).sort((a, b) => b.value - a.value)
  const row = (marker: string, name: string, value: string, strong = false): string =>
    `<div style="display:flex;gap:16px;justify-content:space-between;${strong ? 'font-weight:600;' : ''}"><span>${marker}${escape(name)}</span><span style="font-variant-numeric:tabular-nums">${escape(value)}</span></div>`
  const head = `<div style="margin-bottom:4px;opacity:.8">${escape(params[0]?.axisValueLabel ?? '')}</div>`
  const lines = shown.map(r => row(r.marker, r.name, format(r.value)))
  if (rows.length > 1 || lines.length === 0) lines.push(row('', totalLabel, format(total), true))
  return head + lines.join('')
}
