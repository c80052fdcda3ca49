import type { Knex } from 'knex'
import { z } from 'zod'
import { AttemptSchema, type RequestLog, type RequestLogEntry } from '@shared/dto/request-log'
import { fromJson, toBool, toJson, toNullableNumber, toNumber } from '../columns'

const TABLE = 'request_logs'
/** Rows per INSERT: well under SQLite's bound-variable limit with 21 columns. */
const CHUNK = 200

/** The per-request log, appended in batches by the stats flusher. */
export class RequestLogRepository {
  constructor(private readonly db: Knex) {}

  /** Appends log rows. */
  async insertMany(entries: readonly RequestLogEntry[], db: Knex = this.db): Promise<void> {
    for (let i = 0; i < entries.length; i += CHUNK) {
      await db(TABLE).insert(entries.slice(i, i + CHUNK).map(toRow))
    }
  }

  /** Newest rows first. */
  async list(limit: number, offset = 0): Promise<RequestLog[]> {
    const rows = (await this.db(TABLE).select('*').orderBy('id', 'desc').limit(limit).offset(offset)) as Record<
      string,
      unknown
    >[]
    return rows.map(fromRow)
  }

  /** How many rows are stored. */
  async count(): Promise<number> {
    const row = (await this.db(TABLE).count({ n: '*' }).first()) as { n: unknown } | undefined
    return toNumber(row?.n ?? 0)
  }
}

function toRow(e: RequestLogEntry): Record<string, unknown> {
  return {
    time: e.time,
    request_id: e.requestId,
    api_key_id: e.apiKeyId,
    client_protocol: e.clientProtocol,
    requested_model: e.requestedModel,
    channel_id: e.channelId,
    upstream_model: e.upstreamModel,
    stream: e.stream,
    status: e.status,
    attempts: toJson(e.attempts),
    latency_ms: e.latencyMs,
    first_token_ms: e.firstTokenMs,
    input_tokens: e.inputTokens,
    output_tokens: e.outputTokens,
    cache_read_tokens: e.cacheReadTokens,
    cache_write_tokens: e.cacheWriteTokens,
    cost: e.cost,
    error: e.error,
    request_body: e.requestBody,
    response_body: e.responseBody
  }
}

function fromRow(row: Record<string, unknown>): RequestLog {
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
    attempts: fromJson(row.attempts, z.array(AttemptSchema)),
    latencyMs: toNumber(row.latency_ms),
    firstTokenMs: toNullableNumber(row.first_token_ms),
    inputTokens: toNumber(row.input_tokens),
    outputTokens: toNumber(row.output_tokens),
    cacheReadTokens: toNumber(row.cache_read_tokens),
    cacheWriteTokens: toNumber(row.cache_write_tokens),
    cost: toNullableNumber(row.cost),
    error: text(row.error),
    requestBody: text(row.request_body),
    responseBody: text(row.response_body)
  }
}
