import type { Knex } from 'knex'
import type {
  StatsBucket,
  StatsDimension,
  StatsGroupBy,
  StatsMetric,
  StatsSeries,
  StatsSummary,
  StatsTop
} from '@shared/dto/analytics'
import { toNumber } from '../store/columns'
import { dialectFor } from '../store/dialects'
import { shapeSeries, type BucketSums } from './series-shape'
import { bucketMs, bucketOffsetMs, bucketStarts, type StatsWindow } from './stats-window'
import { labeler, type NameSource } from './usage-labels'
import { cacheReadShare, COUNTER_COLUMNS, mean, rankByMetric, readSums, sumSelects, toCounters } from './usage-sums'

const TABLE = 'usage_hourly'

/** The `usage_hourly` column each dimension groups by: `group` is the model asked for, `model` the one that answered. */
const DIMENSION_COLUMN: Record<StatsDimension, string> = {
  group: 'model',
  model: 'upstream_model',
  channel: 'channel_id',
  apiKey: 'api_key_id'
}

/** How a series is cut. */
export interface SeriesOptions {
  bucket: StatsBucket
  groupBy: StatsGroupBy
  metric: StatsMetric
  limit: number
}

/** Read-only queries over the hourly usage roll-ups: totals, chart series and rankings. */
export class UsageAnalytics {
  constructor(
    private readonly db: Knex,
    private readonly names: NameSource
  ) {}

  /** Totals of the window. */
  async summary(window: StatsWindow): Promise<StatsSummary> {
    const row = (await this.inWindow(this.db(TABLE), window).select(sumSelects(this.db)).first()) as Record<string, unknown> | undefined
    const s = readSums(row ?? {})
    const successes = s.requests - s.failures
    return {
      from: window.from,
      to: window.to,
      ...toCounters(s),
      successes,
      successRate: s.requests > 0 ? successes / s.requests : null,
      avgFirstTokenMs: mean(s.firstTokenMsSum, s.firstTokenCount)
    }
  }

  /** The `limit` largest keys of a dimension by `order`. */
  async top(window: StatsWindow, by: StatsDimension, order: StatsMetric, limit: number): Promise<StatsTop> {
    const column = DIMENSION_COLUMN[by]
    const rows = (await this.inWindow(this.db(TABLE), window)
      .select(this.db.raw('?? AS ??', [column, 'k']), ...sumSelects(this.db))
      .groupBy(column)) as Record<string, unknown>[]
    // Ranked here, not with ORDER BY: ties must break the same way on every engine, whatever its collation.
    const ranked = rankByMetric(
      rows.map(row => ({ key: keyOf(row.k), sums: readSums(row) })),
      order
    ).slice(0, limit)
    const label = await labeler(by, this.names)
    return { from: window.from, to: window.to, by, order, rows: ranked.map(e => ({ key: e.key, label: label(e.key), ...toCounters(e.sums), cacheReadShare: cacheReadShare(e.sums) })) }
  }

  /** Chart lines of the window, one point per bucket. */
  async series(window: StatsWindow, options: SeriesOptions): Promise<StatsSeries> {
    const size = bucketMs(options.bucket)
    const offset = bucketOffsetMs(options.bucket, window)
    const column = options.groupBy === 'none' ? null : DIMENSION_COLUMN[options.groupBy]
    const rows = await this.bucketSums(window, size, offset, column)
    const series = shapeSeries(rows, {
      starts: bucketStarts(window, size, offset),
      grouped: column !== null,
      metric: options.metric,
      limit: options.limit,
      label: await labeler(options.groupBy, this.names)
    })
    return { from: window.from, to: window.to, tz: window.tzMs / 60_000, bucket: options.bucket, groupBy: options.groupBy, series }
  }

  /**
   * Sums per bucket (and key). The bucket is computed in a derived table and grouped outside it:
   * PostgreSQL does not see two bound copies of one expression as the same GROUP BY term.
   */
  private async bucketSums(window: StatsWindow, size: number, offset: number, column: string | null): Promise<BucketSums[]> {
    const { db } = this
    const inner = this.inWindow(db(TABLE), window).select(db.raw('? AS ??', [dialectFor(db).timeBucket(db, 'hour', size, offset), 'bucket']), ...COUNTER_COLUMNS)
    if (column) inner.select(db.raw('?? AS ??', [column, 'k']))
    const grouping = column ? ['bucket', 'k'] : ['bucket']
    const rows = (await db.from(inner.as('t')).select(grouping).select(sumSelects(db)).groupBy(grouping)) as Record<string, unknown>[]
    return rows.map(row => ({ bucket: toNumber(row.bucket), key: column ? keyOf(row.k) : '', sums: readSums(row) }))
  }

  private inWindow(query: Knex.QueryBuilder, window: StatsWindow): Knex.QueryBuilder {
    return query.where('hour', '>=', window.from).andWhere('hour', '<', window.to)
  }
}

/** Keys as text: channel and key ids come back as numbers, names as text. */
function keyOf(value: unknown): string {
  return String(value ?? '')
}
