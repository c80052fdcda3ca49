import type Router from '@koa/router'
import { ADMIN_API_PREFIX } from '@shared/contract/admin-api'
import { defaultBucket, StatsSeriesQuerySchema, type StatsSeries, type StatsSeriesQuery } from '@shared/dto/analytics'
import { resolveWindow } from '../../analytics/stats-window'
import { UsageAnalytics } from '../../analytics/usage-analytics'
import { csvFileName, seriesCsv } from '../../analytics/usage-csv'
import { namesFrom } from '../../analytics/usage-labels'
import { adminErrors } from '../http-errors'
import type { AdminDeps, AdminHandlers } from './admin-context'
import { authenticate, bearerToken } from './authenticate'

/** Path of the CSV twin of `stats.series`. */
export const SERIES_CSV_PATH = `${ADMIN_API_PREFIX}/stats/series.csv`

/** Usage totals, chart series and rankings over `usage_hourly`. */
export function analyticsHandlers(deps: AdminDeps): Pick<AdminHandlers, 'stats.summary' | 'stats.series' | 'stats.top'> {
  const analytics = new UsageAnalytics(deps.db, namesFrom(deps.repos))
  return {
    'stats.summary': async ({ query }) => analytics.summary(resolveWindow(query, deps.now())),
    'stats.series': async ({ query }) => series(analytics, query, deps.now()),
    'stats.top': async ({ query }) => analytics.top(resolveWindow(query, deps.now()), query.by, query.order, query.limit)
  }
}

function series(analytics: UsageAnalytics, query: StatsSeriesQuery, now: number): Promise<StatsSeries> {
  const window = resolveWindow(query, now)
  const bucket = query.bucket ?? defaultBucket(window.to - window.from)
  return analytics.series(window, { bucket, groupBy: query.groupBy, metric: query.metric, limit: query.limit })
}

/**
 * `GET /api/v1/stats/series.csv`: the `stats.series` answer of the same query as a CSV download.
 * A plain link cannot send headers, so like the live stream it also takes the token in the query
 * (the error handler logs paths without the query string).
 */
export function registerSeriesCsv(router: Router, deps: AdminDeps): void {
  const analytics = new UsageAnalytics(deps.db, namesFrom(deps.repos))
  router.get(SERIES_CSV_PATH, async ctx => {
    const queryToken = typeof ctx.query.token === 'string' ? ctx.query.token : undefined
    await authenticate(bearerToken(ctx) ?? queryToken, deps)
    const { token: _token, ...rest } = ctx.query
    const parsed = StatsSeriesQuerySchema.safeParse(rest)
    if (!parsed.success) throw adminErrors.validation(parsed.error, 'query')
    const data = await series(analytics, parsed.data, deps.now())
    ctx.set({
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${csvFileName(data)}"`,
      'cache-control': 'no-store'
    })
    ctx.body = seriesCsv(data)
  })
}
