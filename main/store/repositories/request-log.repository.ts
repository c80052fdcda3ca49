import type { Database, Statement } from 'better-sqlite3'
import type { Knex } from 'knex'
import { z } from 'zod'
import type { LogCursor, RequestLogItem } from '@shared/dto/log-query'
import { AttemptSchema, type RequestLog, type RequestLogEntry } from '@shared/dto/request-log'
import { fromJson, toJson, toNumber } from '../columns'
import { dbClientOf } from '../knex'
import { itemFromRow, logFromRow, pageQuery, type LogFilter } from './request-log.page'

const TABLE = 'request_logs'
/** Rows per INSERT: well under SQLite's bound-variable limit with 21 columns. */
const CHUNK = 200

/** Columns in the order of the prepared SQLite insert. */
const COLUMNS = Object.keys(toRow(emptyEntry()))

/** The per-request log, appended in batches by the stats flusher. */
export class RequestLogRepository {
  private readonly sqliteInserts = new WeakMap<Database, Statement>()

  constructor(private readonly db: Knex) {}

  /** Appends log rows. */
  async insertMany(entries: readonly RequestLogEntry[], db: Knex = this.db): Promise<void> {
    if (entries.length === 0) return
    if (dbClientOf(db) === 'sqlite') return this.insertSqlite(entries, db)
    for (let i = 0; i < entries.length; i += CHUNK) {
      await db(TABLE).insert(entries.slice(i, i + CHUNK).map(toRow))
    }
  }

  /**
   * SQLite runs every statement on the event loop: one prepared single-row insert, reused, costs
   * a fraction of compiling a 200-row INSERT through the query builder, and the flusher writes
   * thousands of rows a second under load. Inside the flusher's transaction `db` is that
   * transaction, so its connection is the one holding it.
   */
  private async insertSqlite(entries: readonly RequestLogEntry[], db: Knex): Promise<void> {
    const connection = (await db.client.acquireConnection()) as Database
    try {
      let insert = this.sqliteInserts.get(connection)
      if (!insert) {
        insert = connection.prepare(`INSERT INTO ${TABLE} (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`)
        this.sqliteInserts.set(connection, insert)
      }
      const statement = insert
      const insertAll = (): void => {
        for (const entry of entries) {
          // better-sqlite3 binds no booleans.
          statement.run(Object.values(toRow(entry)).map(value => (typeof value === 'boolean' ? Number(value) : value)))
        }
      }
      // Outside the flusher's transaction, one of its own: a commit per row would crawl.
      if (connection.inTransaction) insertAll()
      else connection.transaction(insertAll)()
    } finally {
      await db.client.releaseConnection(connection)
    }
  }

  /**
   * One page of the log, newest first, without bodies; `next` is where the following page starts,
   * null after the last one. Keyset pagination: a page costs the same on any table size.
   */
  async page(filter: LogFilter, before: LogCursor | null, limit: number): Promise<{ items: RequestLogItem[]; next: LogCursor | null }> {
    const rows = (await pageQuery(this.db, filter, before, limit + 1)) as Record<string, unknown>[]
    const items = rows.slice(0, limit).map(itemFromRow)
    const last = items[items.length - 1]
    return { items, next: rows.length > limit && last ? { time: last.time, id: last.id } : null }
  }

  /** One row with its attempts and bodies, or null. */
  async get(id: number): Promise<RequestLog | null> {
    const row = (await this.db(TABLE).where('id', id).first()) as Record<string, unknown> | undefined
    return row ? fromRow(row) : null
  }

  /** Newest rows first (by id; tests and small tables; the admin list uses `page`). */
  async list(limit: number, offset = 0): Promise<RequestLog[]> {
    const rows = (await this.db(TABLE).select('*').orderBy('id', 'desc').limit(limit).offset(offset)) as Record<
      string,
      unknown
    >[]
    return rows.map(fromRow)
  }

  /**
   * Deletes at most `batch` of the oldest rows among those older than `before` (ms) or beyond the
   * newest `keep`; returns how many went. Callers repeat while it returns `batch`, so no single
   * statement holds the table for long.
   */
  async deleteOldest(opts: { before: number; keep: number; batch: number }): Promise<number> {
    const aged = await this.deleteOlderThan(opts.before, opts.batch)
    if (aged >= opts.batch) return aged
    return aged + (await this.deleteBeyondNewest(opts.keep, opts.batch - aged))
  }

  /** How many rows are stored. */
  async count(): Promise<number> {
    const row = (await this.db(TABLE).count({ n: '*' }).first()) as { n: unknown } | undefined
    return toNumber(row?.n ?? 0)
  }

  private async deleteOlderThan(before: number, limit: number): Promise<number> {
    const cutoff = await cutoffId(this.db, this.db(TABLE).where('time', '<', before), limit)
    if (cutoff === null) return 0
    // `time < before` again: with several instances ids and times may interleave a little.
    return this.db(TABLE).where('id', '<=', cutoff).andWhere('time', '<', before).delete()
  }

  private async deleteBeyondNewest(keep: number, limit: number): Promise<number> {
    const excess = (await this.count()) - keep
    if (excess <= 0 || limit <= 0) return 0
    const cutoff = await cutoffId(this.db, this.db(TABLE), Math.min(excess, limit))
    if (cutoff === null) return 0
    return this.db(TABLE).where('id', '<=', cutoff).delete()
  }
}

/**
 * The largest id among the oldest `limit` rows of `scope`, or null when it is empty. Deleting by
 * `id <= cutoff` afterwards is portable: MySQL cannot DELETE with a LIMIT subquery on the same
 * table, but a derived table with LIMIT in a plain SELECT is fine everywhere.
 */
async function cutoffId(db: Knex, scope: Knex.QueryBuilder, limit: number): Promise<number | null> {
  const oldest = scope.select('id').orderBy('id', 'asc').limit(limit).as('oldest')
  const row = (await db.from(oldest).max({ id: 'id' }).first()) as { id: unknown } | undefined
  return row?.id === null || row?.id === undefined ? null : toNumber(row.id)
}

function emptyEntry(): RequestLogEntry {
  return {
    time: 0,
    requestId: '',
    apiKeyId: null,
    clientProtocol: '',
    requestedModel: '',
    channelId: null,
    upstreamModel: null,
    stream: false,
    status: 0,
    attempts: [],
    latencyMs: 0,
    firstTokenMs: null,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    cost: null,
    error: null,
    requestBody: null,
    responseBody: null
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
  return logFromRow(row, fromJson(row.attempts, z.array(AttemptSchema)))
}
