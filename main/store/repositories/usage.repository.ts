import type { Knex } from 'knex'
import { toNumber } from '../columns'
import { dialectFor } from '../dialects'

/** Counters of one (hour, client key, channel, model); 0 stands for "none" in the id columns. */
export interface UsageDelta {
  hour: number
  apiKeyId: number
  channelId: number
  /** The model asked for (a group name or a model a channel lists). */
  model: string
  /** The model that answered; '' when no channel did. */
  upstreamModel: string
  requests: number
  failures: number
  inputTokens: number
  outputTokens: number
  cacheReadTokens: number
  cacheWriteTokens: number
  cost: number
  /** Requests whose model had no price: their cost is not in `cost`. */
  unpricedRequests: number
  latencyMsSum: number
  firstTokenMsSum: number
  firstTokenCount: number
}

const TABLE = 'usage_hourly'
const KEY_COLUMNS = ['hour', 'api_key_id', 'channel_id', 'model', 'upstream_model'] as const
const COUNTER_COLUMNS = [
  'requests',
  'failures',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'cost',
  'unpriced_requests',
  'latency_ms_sum',
  'first_token_ms_sum',
  'first_token_count'
] as const

/**
 * Sums deltas that share a key: PostgreSQL refuses an upsert that touches one row twice, and the
 * other engines would add them anyway.
 */
function mergeByKey(deltas: readonly UsageDelta[]): UsageDelta[] {
  const merged = new Map<string, UsageDelta>()
  for (const d of deltas) {
    const key = usageKey(d)
    const current = merged.get(key)
    if (!current) {
      merged.set(key, { ...d })
      continue
    }
    for (const column of SUMMED) current[column] += d[column]
  }
  return [...merged.values()]
}

const SUMMED = [
  'requests',
  'failures',
  'inputTokens',
  'outputTokens',
  'cacheReadTokens',
  'cacheWriteTokens',
  'cost',
  'unpricedRequests',
  'latencyMsSum',
  'firstTokenMsSum',
  'firstTokenCount'
] as const satisfies ReadonlyArray<keyof UsageDelta>

/** The identity of a usage row: its key columns joined. */
export function usageKey(d: Pick<UsageDelta, 'hour' | 'apiKeyId' | 'channelId' | 'model' | 'upstreamModel'>): string {
  return `${d.hour}|${d.apiKeyId}|${d.channelId}|${d.model}|${d.upstreamModel}`
}

/** Hourly usage roll-ups, written only by additive upserts. */
export class UsageRepository {
  constructor(private readonly db: Knex) {}

  /** Adds the deltas to the stored counters (inserting rows that do not exist yet). */
  async add(deltas: readonly UsageDelta[], db: Knex = this.db): Promise<void> {
    const rows = mergeByKey(deltas).map(d => ({
      hour: d.hour,
      api_key_id: d.apiKeyId,
      channel_id: d.channelId,
      model: d.model,
      upstream_model: d.upstreamModel,
      requests: d.requests,
      failures: d.failures,
      input_tokens: d.inputTokens,
      output_tokens: d.outputTokens,
      cache_read_tokens: d.cacheReadTokens,
      cache_write_tokens: d.cacheWriteTokens,
      cost: d.cost,
      unpriced_requests: d.unpricedRequests,
      latency_ms_sum: d.latencyMsSum,
      first_token_ms_sum: d.firstTokenMsSum,
      first_token_count: d.firstTokenCount
    }))
    await dialectFor(db).upsertAdd(db, TABLE, KEY_COLUMNS, COUNTER_COLUMNS, rows)
  }

  /** USD spent per client key from `sinceHour` on (requests without a key left out): the month-to-date spend budgets start from. */
  async costByApiKeySince(sinceHour: number): Promise<Map<number, number>> {
    const rows = (await this.db(TABLE)
      .select('api_key_id')
      .sum({ cost: 'cost' })
      .where('hour', '>=', sinceHour)
      .andWhere('api_key_id', '<>', 0)
      .groupBy('api_key_id')) as Record<string, unknown>[]
    return new Map(rows.map(row => [toNumber(row.api_key_id), toNumber(row.cost)]))
  }

  /** Every stored row from `sinceHour` on, in key order. */
  async since(sinceHour: number): Promise<UsageDelta[]> {
    const rows = (await this.db(TABLE)
      .where('hour', '>=', sinceHour)
      .orderBy([...KEY_COLUMNS])) as Record<string, unknown>[]
    return rows.map(row => ({
      hour: toNumber(row.hour),
      apiKeyId: toNumber(row.api_key_id),
      channelId: toNumber(row.channel_id),
      model: String(row.model),
      upstreamModel: String(row.upstream_model),
      requests: toNumber(row.requests),
      failures: toNumber(row.failures),
      inputTokens: toNumber(row.input_tokens),
      outputTokens: toNumber(row.output_tokens),
      cacheReadTokens: toNumber(row.cache_read_tokens),
      cacheWriteTokens: toNumber(row.cache_write_tokens),
      cost: toNumber(row.cost),
      unpricedRequests: toNumber(row.unpriced_requests),
      latencyMsSum: toNumber(row.latency_ms_sum),
      firstTokenMsSum: toNumber(row.first_token_ms_sum),
      firstTokenCount: toNumber(row.first_token_count)
    }))
  }
}
