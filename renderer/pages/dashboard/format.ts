import type { StatsBucket, StatsMetric, UsageCounters } from '@shared/dto/analytics'
import type { Locale } from '../../stores/app.store'

/** How the dashboard writes numbers, costs, durations and times in the UI's language. */
export interface Formatters {
  /** A count with thousands separators; compact (1.2M, 120万) from a million on. */
  count: (n: number) => string
  /** A count in full, with thousands separators (for hover titles of compact values). */
  exact: (n: number) => string
  /** USD to the millionth of a dollar (for hover titles). */
  exactCost: (usd: number) => string
  /** USD with as many decimals as a small cost needs ($0.00042, $0.0123, $12.50). */
  cost: (usd: number) => string
  /** A share 0..1 as a percentage; null as a dash. */
  percent: (share: number | null) => string
  /** Milliseconds, as seconds from one second on; null as a dash. */
  duration: (ms: number | null) => string
  /** The start of a chart bucket: hour of the day, or the day. */
  bucket: (t: number, bucket: StatsBucket) => string
  /** A value of a chart metric. */
  metric: (value: number, metric: StatsMetric) => string
  /** A short date and time (the edges of a window). */
  moment: (t: number) => string
}

const DASH = '—'
const COMPACT_FROM = 1_000_000

/** Formatters for a UI language; build once per language (Intl objects are costly). */
export function formattersFor(locale: Locale): Formatters {
  const tag = locale === 'zh' ? 'zh-CN' : 'en-US'
  const whole = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 })
  const compact = new Intl.NumberFormat(tag, { notation: 'compact', maximumFractionDigits: 1 })
  const usd = (options: Intl.NumberFormatOptions): Intl.NumberFormat =>
    new Intl.NumberFormat(tag, { style: 'currency', currency: 'USD', currencyDisplay: 'narrowSymbol', ...options })
  const dollars = usd({ minimumFractionDigits: 2, maximumFractionDigits: 2 })
  const cents = usd({ minimumFractionDigits: 2, maximumFractionDigits: 4 })
  const tiny = usd({ maximumSignificantDigits: 3 })
  const precise = usd({ minimumFractionDigits: 2, maximumFractionDigits: 6 })
  const compactUsd = usd({ notation: 'compact', maximumFractionDigits: 1 })
  const percent = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 1 })
  const ms = new Intl.NumberFormat(tag, { style: 'unit', unit: 'millisecond', unitDisplay: 'short', maximumFractionDigits: 0 })
  const seconds = new Intl.NumberFormat(tag, { style: 'unit', unit: 'second', unitDisplay: 'short', maximumFractionDigits: 2 })
  const hour = new Intl.DateTimeFormat(tag, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
  const day = new Intl.DateTimeFormat(tag, { month: 'short', day: 'numeric' })
  const moment = new Intl.DateTimeFormat(tag, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })

  const count = (n: number): string => (Math.abs(n) >= COMPACT_FROM ? compact.format(n) : whole.format(n))
  const cost = (value: number): string => {
    const size = Math.abs(value)
    if (size === 0) return dollars.format(0)
    if (size >= COMPACT_FROM) return compactUsd.format(value)
    if (size >= 1) return dollars.format(value)
    if (size >= 0.01) return cents.format(value)
    return tiny.format(value)
  }
  return {
    count,
    exact: n => whole.format(n),
    cost,
    exactCost: value => precise.format(value),
    percent: share => (share === null ? DASH : percent.format(share)),
    duration: value => (value === null ? DASH : value < 1000 ? ms.format(value) : seconds.format(value / 1000)),
    bucket: (t, size) => (size === 'hour' ? hour : day).format(t),
    metric: (value, metric) => (metric === 'cost' ? cost(value) : count(value)),
    moment: t => moment.format(t)
  }
}

/** Every token of some usage: input, output, cache reads and writes (what `metric=tokens` ranks by). */
export function totalTokens(u: UsageCounters): number {
  return u.inputTokens + u.outputTokens + u.cacheReadTokens + u.cacheWriteTokens
}

/** The value of a chart metric for some usage. */
export function metricOf(u: UsageCounters, metric: StatsMetric): number {
  if (metric === 'requests') return u.requests
  return metric === 'cost' ? u.cost : totalTokens(u)
}
