import type { Knex } from 'knex'
import type { LogCursor, RequestLogItem } from '@shared/dto/log-query'
import type { RequestLog } from '@shared/dto/request-log'
import { toBool, toNullableNumber, toNumber } from '../columns'

const TABLE = 'request_logs'

/** Filters of the log list, combined with AND; 0 as key or channel id stands for "none" (NULL). */
export interface LogFilter {
  /** Inclusive, epoch ms. */
  from?: number
  /** Exclusive, epoch ms. */
  to?: number
  apiKeyId?: number
  channelId?: number
  /** The model the client asked for, exact. */
  model?: string
  /** The model that answered, exact. */
  upstreamModel?: string
  /** `ok` is below 400, `error` 400 and up, a number one status. */
  status?: 'ok' | 'error' | number
  requestId?: string
}

/** Every column but the captured bodies, which can be megabytes a row. */
const LIST_COLUMNS = [
  'id',
  'time',
  'request_id',
  'api_key_id',
  'client_protocol',
  'requested_model',
  'channel_id',
  'upstream_model',
  'stream',
  'status',
  'attempts',
  'latency_ms',
  'first_token_ms',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'cost',
  'error'
]

/**
 * One page, newest first: `ORDER BY time DESC, id DESC` after the rows before `before`. Keyset on
 * (time, id) rather than id alone because the `(x, time)` indexes then return every filtered page
 * in order, time windows included, with no sort (SQLite and InnoDB keep the row id at the end of
 * each secondary index); ordering by id would need a sort of every match whenever a time window
 * is given. `status >= 400` is written literally so SQLite can use the partial index of failures.
 */
export function pageQuery(db: Knex, filter: LogFilter, before: LogCursor | null, limit: number): Knex.QueryBuilder {
  const query = db(TABLE).select(LIST_COLUMNS)
  if (filter.from !== undefined) query.where('time', '>=', filter.from)
  if (filter.to !== undefined) query.where('time', '<', filter.to)
  equalsOrNone(query, 'api_key_id', filter.apiKeyId)
  equalsOrNone(query, 'channel_id', filter.channelId)
  if (filter.model !== undefined) query.where('requested_model', filter.model)
  if (filter.upstreamModel !== undefined) query.where('upstream_model', filter.upstreamModel)
  if (filter.status === 'ok') query.whereRaw('?? < 400', ['status'])
  else if (filter.status === 'error') query.whereRaw('?? >= 400', ['status'])
  else if (filter.status !== undefined) {
    query.where('status', filter.status)
    // Implied, but SQLite cannot see it: stated, it lets a failure status use the partial index.
    if (filter.status >= 400) query.whereRaw('?? >= 400', ['status'])
  }
  if (filter.requestId !== undefined) query.where('request_id', filter.requestId)
  if (before) {
    // The first term bounds the index range; the second only drops the rows of the same ms already shown.
    query.where('time', '<=', before.time).andWhere(q => q.where('time', '<', before.time).orWhere('id', '<', before.id))
  }
  return query.orderBy([
    { column: 'time', order: 'desc' },
    { column: 'id', order: 'desc' }
  ]).limit(limit)
}

function equalsOrNone(query: Knex.QueryBuilder, column: string, id: number | undefined): void {
  if (id === undefined) return
  if (id === 0) query.whereNull(column)
  else query.where(column, id)
}

/** The fields a list row and a full row share. */
function commonFields(row: Record<string, unknown>): Omit<RequestLog, 'attempts' | 'requestBody' | 'responseBody'> {
  const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value))
  return {
    id: toNumber(row.id),
    time: toNumber(row.time),
    requestId: String(row.request_id),
    apiKeyId: toNullableNumber(row.api_key_id),
    clientProtocol: String(row.client_protocol),
    requestedModel: String(row.requested_model),
    channelId: toNullableNumber(row.channel_id),
    upstreamModel: text(row.upstream_model),
    stream: toBool(row.stream),
    status: toNumber(row.status),
    latencyMs: toNumber(row.latency_ms),
    firstTokenMs: toNullableNumber(row.first_token_ms),
    inputTokens: toNumber(row.input_tokens),
    outputTokens: toNumber(row.output_tokens),
    cacheReadTokens: toNumber(row.cache_read_tokens),
    cacheWriteTokens: toNumber(row.cache_write_tokens),
    cost: toNullableNumber(row.cost),
    error: text(row.error)
  }
}

/** A list row: the attempts only counted (the JSON is parsed, not checked; the detail view checks it). */
export function itemFromRow(row: Record<string, unknown>): RequestLogItem {
  const attempts: unknown = typeof row.attempts === 'string' ? JSON.parse(row.attempts) : row.attempts
  return { ...commonFields(row), attemptCount: Array.isArray(attempts) ? attempts.length : 0 }
}

/** A full row, given its parsed attempts and bodies. */
export function logFromRow(row: Record<string, unknown>, attempts: RequestLog['attempts']): RequestLog {
  const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value))
  return { ...commonFields(row), attempts, requestBody: text(row.request_body), responseBody: text(row.response_body) }
}
