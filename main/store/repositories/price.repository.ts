import type { Knex } from 'knex'
import { z } from 'zod'
import { insertId, toNullableNumber, toNumber } from '../columns'
import type { PriceFields, PriceRecord } from '../records'

const TABLE = 'prices'
const SourceSchema = z.enum(['models.dev', 'user', 'channel'])

/** Model prices in USD per million tokens, from models.dev, the user or per channel. */
export class PriceRepository {
  constructor(
    private readonly db: Knex,
    private readonly now: () => number
  ) {}

  /** Every price, optionally only those whose model contains `search`. */
  async list(search?: string): Promise<PriceRecord[]> {
    const query = this.db(TABLE).select('*').orderBy(['model', 'source', 'id'])
    if (search) query.whereRaw('LOWER(model) LIKE ? ESCAPE ?', [`%${search.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`, '\\'])
    return ((await query) as Record<string, unknown>[]).map(fromRow)
  }

  /** One price or null. */
  async get(id: number): Promise<PriceRecord | null> {
    const row = (await this.db(TABLE).where({ id }).first()) as Record<string, unknown> | undefined
    return row ? fromRow(row) : null
  }

  /**
   * Sets the price of a model for a source (and channel): updates the row that exists or inserts
   * one. NULL channel ids defeat unique indexes on some engines, so the match is done here.
   */
  async put(fields: PriceFields): Promise<PriceRecord> {
    return this.db.transaction(async trx => {
      const match = { model: fields.model, source: fields.source }
      const existing = (await trx(TABLE)
        .where(match)
        .andWhere(q => (fields.channelId === null ? q.whereNull('channel_id') : q.where('channel_id', fields.channelId)))
        .first('id')) as { id: unknown } | undefined
      const row = { ...toRow(fields), updated_at: this.now() }
      const id = existing ? toNumber(existing.id) : await insertId(trx, TABLE, row)
      if (existing) await trx(TABLE).where({ id }).update(row)
      const saved = (await trx(TABLE).where({ id }).first()) as Record<string, unknown>
      return fromRow(saved)
    })
  }

  /** Deletes a price; false when it did not exist. */
  async delete(id: number): Promise<boolean> {
    return (await this.db(TABLE).where({ id }).delete()) > 0
  }
}

function toRow(fields: PriceFields): Record<string, unknown> {
  return {
    model: fields.model,
    source: fields.source,
    channel_id: fields.channelId,
    input: fields.input,
    output: fields.output,
    cache_read: fields.cacheRead,
    cache_write: fields.cacheWrite
  }
}

function fromRow(row: Record<string, unknown>): PriceRecord {
  return {
    id: toNumber(row.id),
    model: String(row.model),
    source: SourceSchema.parse(row.source),
    channelId: toNullableNumber(row.channel_id),
    input: toNumber(row.input),
    output: toNumber(row.output),
    cacheRead: toNumber(row.cache_read),
    cacheWrite: toNumber(row.cache_write),
    updatedAt: toNumber(row.updated_at)
  }
}
