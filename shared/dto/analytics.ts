import { z } from 'zod'

const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000

/** `today`, or the last 7 / 30 local days including today. */
export const STATS_RANGES = ['today', '7d', '30d'] as const
/** What usage can be split by: the group (model asked for), the model that answered, the channel, the client key. */
export const STATS_DIMENSIONS = ['group', 'model', 'channel', 'apiKey'] as const
export type StatsDimension = (typeof STATS_DIMENSIONS)[number]
/** A series split: one of the dimensions, or `none` for one series of everything. */
export const STATS_GROUP_BYS = ['none', ...STATS_DIMENSIONS] as const
export type StatsGroupBy = (typeof STATS_GROUP_BYS)[number]
/** What ranks rows and series; `tokens` is input + output + cache read + cache write. */
export const STATS_METRICS = ['requests', 'cost', 'tokens'] as const
export type StatsMetric = (typeof STATS_METRICS)[number]
export const STATS_BUCKETS = ['hour', 'day'] as const
export type StatsBucket = (typeof STATS_BUCKETS)[number]

/** Most points one series may have: four months of hours, eight years of days. */
export const MAX_SERIES_BUCKETS = 3_000

const EpochMsQuery = z.coerce.number().int().nonnegative()

/**
 * The time window of every stats query: `range` (default `today`) or explicit `from` (inclusive)
 * and `to` (exclusive), epoch ms. `tz` is the client's offset in minutes east of UTC (120 for
 * UTC+2, -300 for New York in winter); local days start at its midnight. Usage is stored per UTC
 * hour, so an hour counts in the window when its start does.
 */
const windowShape = {
  range: z.enum(STATS_RANGES).optional(),
  from: EpochMsQuery.optional(),
  to: EpochMsQuery.optional(),
  tz: z.coerce.number().int().min(-840).max(840).default(0)
}

interface WindowInput {
  range?: string
  from?: number
  to?: number
}

function checkWindow(value: WindowInput, ctx: z.RefinementCtx): void {
  const explicit = value.from !== undefined || value.to !== undefined
  if (explicit && value.range !== undefined) ctx.addIssue({ code: 'custom', path: ['range'], message: 'give either range or from and to, not both' })
  else if (value.from === undefined && value.to !== undefined) ctx.addIssue({ code: 'custom', path: ['from'], message: 'is required with to' })
  else if (value.from !== undefined && value.to === undefined) ctx.addIssue({ code: 'custom', path: ['to'], message: 'is required with from' })
  else if (value.from !== undefined && value.to !== undefined && value.to <= value.from) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' })
  }
}

/** The bucket a series uses when none is asked for: hours up to two days, days beyond. */
export function defaultBucket(spanMs: number): StatsBucket {
  return spanMs <= 2 * DAY_MS ? 'hour' : 'day'
}

/** Query of `GET /stats/summary`. */
export const StatsSummaryQuerySchema = z.object(windowShape).superRefine(checkWindow)
export type StatsSummaryQuery = z.infer<typeof StatsSummaryQuerySchema>

/** Query of `GET /stats/series` and `GET /stats/series.csv`. */
export const StatsSeriesQuerySchema = z
  .object({
    ...windowShape,
    /** Default: `hour` for windows up to two days, else `day`. */
    bucket: z.enum(STATS_BUCKETS).optional(),
    groupBy: z.enum(STATS_GROUP_BYS).default('none'),
    /** Ranks the series; the first `limit` are kept and the rest summed into one "other" series. */
    metric: z.enum(STATS_METRICS).default('requests'),
    limit: z.coerce.number().int().min(1).max(50).default(10)
  })
  .superRefine((value, ctx) => {
    checkWindow(value, ctx)
    // Ranges are at most 30 days; only an explicit window can ask for too many points.
    if (value.from === undefined || value.to === undefined || value.to <= value.from) return
    const span = value.to - value.from
    const bucketMs = (value.bucket ?? defaultBucket(span)) === 'hour' ? HOUR_MS : DAY_MS
    if (Math.ceil(span / bucketMs) + 1 > MAX_SERIES_BUCKETS) {
      ctx.addIssue({ code: 'custom', path: ['bucket'], message: `the window holds more than ${MAX_SERIES_BUCKETS} buckets of this size` })
    }
  })
export type StatsSeriesQuery = z.infer<typeof StatsSeriesQuerySchema>

/** Query of `GET /stats/top`. */
export const StatsTopQuerySchema = z
  .object({
    ...windowShape,
    by: z.enum(STATS_DIMENSIONS),
    order: z.enum(STATS_METRICS).default('requests'),
    limit: z.coerce.number().int().min(1).max(100).default(10)
  })
  .superRefine(checkWindow)
export type StatsTopQuery = z.infer<typeof StatsTopQuerySchema>

const Count = z.number().int().nonnegative()
/** A mean in ms; null when nothing was measured. */
const Mean = z.number().nonnegative().nullable()

/**
 * Summed usage of some hours. `inputTokens` excludes cache reads and writes; `cost` leaves out
 * the `unpricedRequests` (no price was known for their model); `avgLatencyMs` is null without requests.
 */
export const UsageCountersSchema = z.object({
  requests: Count,
  failures: Count,
  inputTokens: Count,
  outputTokens: Count,
  cacheReadTokens: Count,
  cacheWriteTokens: Count,
  cost: z.number().nonnegative(),
  unpricedRequests: Count,
  avgLatencyMs: Mean
})
export type UsageCounters = z.infer<typeof UsageCountersSchema>

/** `GET /stats/summary`: the whole window; `from`/`to` as resolved (a range ends with the current hour). */
export const StatsSummarySchema = UsageCountersSchema.extend({
  from: z.number().int(),
  to: z.number().int(),
  successes: Count,
  /** successes / requests; null without requests. */
  successRate: z.number().min(0).max(1).nullable(),
  /** Mean time to the first token of the streamed requests that had one. */
  avgFirstTokenMs: Mean
})
export type StatsSummary = z.infer<typeof StatsSummarySchema>

/** One bucket of a series; `t` is its start (epoch ms). Buckets without traffic are there with zeros. */
export const SeriesPointSchema = UsageCountersSchema.extend({ t: z.number().int() })
export type SeriesPoint = z.infer<typeof SeriesPointSchema>

/**
 * One line of a chart. `key` is the group or model name, or the channel or client key id as text
 * (0: none), `all` when not grouped, and null for the "other" series that sums those beyond `limit`.
 */
export const SeriesSchema = z.object({ key: z.string().nullable(), label: z.string(), points: z.array(SeriesPointSchema) })
export type Series = z.infer<typeof SeriesSchema>

/**
 * `GET /stats/series`. Hour buckets are UTC hours (the grain usage is stored in); day buckets start
 * at local midnight of `tz`, and an hour falls in the day its start belongs to, which is exact for
 * whole-hour offsets. A window with no hour start in it has no points.
 */
export const StatsSeriesSchema = z.object({
  from: z.number().int(),
  to: z.number().int(),
  tz: z.number().int(),
  bucket: z.enum(STATS_BUCKETS),
  groupBy: z.enum(STATS_GROUP_BYS),
  series: z.array(SeriesSchema)
})
export type StatsSeries = z.infer<typeof StatsSeriesSchema>

/**
 * One ranked row of `GET /stats/top`. `cacheReadShare` is the part of its prompt tokens read from a
 * provider cache: cacheRead / (input + cacheRead + cacheWrite); null without prompt tokens.
 */
export const TopRowSchema = UsageCountersSchema.extend({ key: z.string(), label: z.string(), cacheReadShare: z.number().min(0).max(1).nullable() })
export type TopRow = z.infer<typeof TopRowSchema>

/** `GET /stats/top`: rows by `order`, largest first (ties by key). */
export const StatsTopSchema = z.object({
  from: z.number().int(),
  to: z.number().int(),
  by: z.enum(STATS_DIMENSIONS),
  order: z.enum(STATS_METRICS),
  rows: z.array(TopRowSchema)
})
export type StatsTop = z.infer<typeof StatsTopSchema>
