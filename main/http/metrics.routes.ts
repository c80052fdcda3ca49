import type Router from '@koa/router'
import type { LiveCounters } from '../stats/live-counters'
import type { StatsRecorder } from '../stats/stats-recorder'

/** What `/metrics` reads. */
export interface MetricsDeps {
  live: LiveCounters
  stats: StatsRecorder
  version: string
}

/** Prometheus text exposition format, version 0.0.4. */
const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

/**
 * `GET /metrics` in the Prometheus text format, without auth like `/healthz`: it exposes only
 * counts, the version and group names (model names clients send), never keys, tokens or bodies.
 */
export function registerMetricsRoutes(router: Router, deps: MetricsDeps): void {
  router.get('/metrics', ctx => {
    ctx.set('content-type', CONTENT_TYPE)
    ctx.set('cache-control', 'no-store')
    ctx.body = renderMetrics(deps)
  })
}

/** The metrics page; exported for tests. */
export function renderMetrics(deps: MetricsDeps): string {
  const live = deps.live.snapshot()
  const lines: string[] = [
    ...metric('cuttle_requests_in_flight', 'gauge', 'Requests being relayed now.', [['', live.inFlight]]),
    // "Today" restarts at local midnight; Prometheus counters handle such resets in rate().
    ...metric('cuttle_requests_today_total', 'counter', 'Requests finished since local midnight.', [['', live.requestsToday]]),
    ...metric('cuttle_errors_today_total', 'counter', 'Requests finished with status >= 400 since local midnight.', [['', live.errorsToday]]),
    ...metric('cuttle_log_rows_dropped_total', 'counter', 'Request log rows dropped because the write queue was full.', [['', deps.stats.dropped]]),
    ...metric('cuttle_build_info', 'gauge', 'Build information; always 1.', [[labels({ version: deps.version }), 1]]),
    ...metric(
      'cuttle_requests_in_flight_by_group',
      'gauge',
      'Requests being relayed now, by group; idle groups are left out.',
      Object.entries(live.inFlightByGroup).map(([group, count]) => [labels({ group }), count])
    )
  ]
  return `${lines.join('\n')}\n`
}

function metric(name: string, type: 'gauge' | 'counter', help: string, samples: Array<[string, number]>): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples.map(([labelSet, value]) => `${name}${labelSet} ${value}`)]
}

/** `{a="…",b="…"}` with values escaped as the exposition format asks (backslash, quote, newline). */
export function labels(values: Record<string, string>): string {
  const pairs = Object.entries(values).map(([key, value]) => `${key}="${escapeLabelValue(value)}"`)
  return `{${pairs.join(',')}}`
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}
