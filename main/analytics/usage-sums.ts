import type { Knex } from 'knex'
import type { StatsMetric, UsageCounters } from '@shared/dto/analytics'
import { toNumber } from '../store/columns'
import type { UsageDelta } from '../store/repositories/usage.repository'

/** The summed counters of some `usage_hourly` rows. */
export type UsageSums = Omit<UsageDelta, 'hour' | 'apiKeyId' | 'channelId' | 'model' | 'upstreamModel'>

const COLUMNS: ReadonlyArray<readonly [keyof UsageSums, string]> = [
  ['requests', 'requests'],
  ['failures', 'failures'],
  ['inputTokens', 'input_tokens'],
  ['outputTokens', 'output_tokens'],
  ['cacheReadTokens', 'cache_read_tokens'],
  ['cacheWriteTokens', 'cache_write_tokens'],
  ['cost', 'cost'],
  ['unpricedRequests', 'unpriced_requests'],
  ['latencyMsSum', 'latency_ms_sum'],
  ['firstTokenMsSum', 'first_token_ms_sum'],
  ['firstTokenCount', 'first_token_count']
]

/** The counter columns of `usage_hourly`. */
export const COUNTER_COLUMNS: readonly string[] = COLUMNS.map(([, column]) => column)

/** `SUM(x) AS x` for every counter column. Averages are not taken in SQL: AVG and `/` differ between engines. */
export function sumSelects(knex: Knex): Knex.Raw[] {
  return COLUMNS.map(([, column]) => knex.raw('SUM(??) AS ??', [column, column]))
}

/** Reads summed columns; PostgreSQL and MySQL return SUM of BIGINT as text, and SUM of no rows is NULL. */
export function readSums(row: Record<string, unknown>): UsageSums {
  const sums = zeroSums()
  for (const [field, column] of COLUMNS) sums[field] = toNumber(row[column] ?? 0)
  return sums
}

/** All counters zero. */
export function zeroSums(): UsageSums {
  return {
    requests: 0,
    failures: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    cost: 0,
    unpricedRequests: 0,
    latencyMsSum: 0,
    firstTokenMsSum: 0,
    firstTokenCount: 0
  }
}

/** Adds `more` to `target` in place. */
export function addSums(target: UsageSums, more: UsageSums): void {
  for (const [field] of COLUMNS) target[field] += more[field]
}

/**
 * Sums of floating-point costs may differ in the last bits with the order the engine adds them
 * in; a billionth of the currency unit is far below what anyone bills.
 */
function roundCost(cost: number): number {
  return Math.round(cost * 1e9) / 1e9
}

/** A mean, or null when nothing was measured. */
export function mean(sum: number, count: number): number | null {
  return count > 0 ? sum / count : null
}

/** The counters an answer shows, with the mean latency. */
export function toCounters(s: UsageSums): UsageCounters {
  return {
    requests: s.requests,
    failures: s.failures,
    inputTokens: s.inputTokens,
    outputTokens: s.outputTokens,
    cacheReadTokens: s.cacheReadTokens,
    cacheWriteTokens: s.cacheWriteTokens,
    cost: roundCost(s.cost),
    unpricedRequests: s.unpricedRequests,
    avgLatencyMs: mean(s.latencyMsSum, s.requests)
  }
}

/** The part of the prompt tokens read from a provider cache; null without prompt tokens. */
export function cacheReadShare(s: UsageSums): number | null {
  const prompt = s.inputTokens + s.cacheReadTokens + s.cacheWriteTokens
  return prompt > 0 ? s.cacheReadTokens / prompt : null
}

/** The figure rows and series are ranked by. */
export function metricOf(s: UsageSums, metric: StatsMetric): number {
  if (metric === 'cost') return roundCost(s.cost)
  if (metric === 'tokens') return s.inputTokens + s.outputTokens + s.cacheReadTokens + s.cacheWriteTokens
  return s.requests
}

/** Ranks keyed sums by `metric`, largest first; ties by key in code-point order, the same on every engine. */
export function rankByMetric<T extends { key: string; sums: UsageSums }>(entries: T[], metric: StatsMetric): T[] {
  return [...entries].sort((a, b) => metricOf(b.sums, metric) - metricOf(a.sums, metric) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
}
