import type { Series, StatsMetric } from '@shared/dto/analytics'
import { ALL_KEY, OTHER_LABEL } from './usage-labels'
import { addSums, rankByMetric, toCounters, zeroSums, type UsageSums } from './usage-sums'

/** The summed counters of one key in one bucket, as SQL grouped them. */
export interface BucketSums {
  bucket: number
  key: string
  sums: UsageSums
}

/** How to turn bucketed sums into chart lines. */
export interface SeriesShape {
  /** Every bucket start of the axis, oldest first. */
  starts: readonly number[]
  /** False for one series of everything. */
  grouped: boolean
  metric: StatsMetric
  limit: number
  label: (key: string) => string
}

/**
 * Chart lines: the `limit` largest keys by `metric` over the whole window, then one "other" line
 * summing the rest, each with a point for every bucket of the axis (zeros where there was no
 * traffic, so the chart has a continuous axis; filled here rather than in SQL, where generating
 * the axis differs on every engine).
 */
export function shapeSeries(rows: readonly BucketSums[], shape: SeriesShape): Series[] {
  const byKey = new Map<string, Map<number, UsageSums>>()
  for (const row of rows) {
    const key = shape.grouped ? row.key : ALL_KEY
    let buckets = byKey.get(key)
    if (!buckets) byKey.set(key, (buckets = new Map()))
    add(buckets, row.bucket, row.sums)
  }
  if (!shape.grouped) return [line(ALL_KEY, ALL_KEY, byKey.get(ALL_KEY) ?? new Map(), shape.starts)]
  const totals = [...byKey].map(([key, buckets]) => {
    const sums = zeroSums()
    for (const s of buckets.values()) addSums(sums, s)
    return { key, sums, buckets }
  })
  const ranked = rankByMetric(totals, shape.metric)
  const lines = ranked.slice(0, shape.limit).map(e => line(e.key, shape.label(e.key), e.buckets, shape.starts))
  const rest = ranked.slice(shape.limit)
  if (rest.length > 0) {
    const other = new Map<number, UsageSums>()
    for (const e of rest) for (const [bucket, sums] of e.buckets) add(other, bucket, sums)
    lines.push(line(null, OTHER_LABEL, other, shape.starts))
  }
  return lines
}

function add(buckets: Map<number, UsageSums>, bucket: number, sums: UsageSums): void {
  const current = buckets.get(bucket)
  if (current) addSums(current, sums)
  else buckets.set(bucket, { ...sums })
}

function line(key: string | null, label: string, buckets: Map<number, UsageSums>, starts: readonly number[]): Series {
  return { key, label, points: starts.map(t => ({ t, ...toCounters(buckets.get(t) ?? zeroSums()) })) }
}
