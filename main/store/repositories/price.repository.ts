import type { Knex } from 'knex'
import { z } from 'zod'
import { PriceSourceSchema, PriceTierSchema, type PriceSource } from '@shared/dto/price'
import { fromJson, insertId, isUniqueViolation, toJson, toNullableNumber, toNumber } from '../columns'
import type { PriceFields, PriceRecord } from '../records'

const TABLE = 'prices'
const MODELS_DEV: PriceSource = 'models.dev'
/** Rows per INSERT: well under every engine's limit of bound parameters. */
const INSERT_CHUNK = 200
const ORDER = ['model', 'source', 'provider', 'id']

/** What `extra` holds: prices beyond the base ones. */
const ExtraSchema = z.object({ tiers: z.array(PriceTierSchema).default([]) })

/** Which prices to list. */
export interface PriceFilter {
  /** Part of the model name, any case; `%` and `_` match themselves. */
  search?: string
  source?: PriceSource
  channelId?: number
}

/** The fields a price edit may change (source, channel and provider stay). */
export type PricePatch = Partial<Pick<PriceFields, 'model' | 'input' | 'output' | 'cacheRead' | 'cacheWrite' | 'tiers'>>

/** Model prices in USD per million tokens, from models.dev, the user or per channel. */
export class PriceRepository {
  constructor(
    private readonly db: Knex,
    private readonly now: () => number
  ) {}

  /** Every price that matches, ordered by model, source, provider. */
  async list(filter: PriceFilter = {}): Promise<PriceRecord[]> {
    const rows = (await this.filtered(filter).select('*').orderBy(ORDER)) as Record<string, unknown>[]
    return rows.map(fromRow)
  }

  /** One page (1-based) of the prices that match, and how many match in all. */
  async page(filter: PriceFilter, page: number, pageSize: number): Promise<{ items: PriceRecord[]; total: number }> {
    const counted = (await this.filtered(filter).count({ n: '*' }).first()) as { n: unknown } | undefined
    const rows = (await this.filtered(filter)
      .select('*')
      .orderBy(ORDER)
      .limit(pageSize)
      .offset((page - 1) * pageSize)) as Record<string, unknown>[]
    return { items: rows.map(fromRow), total: toNumber(counted?.n ?? 0) }
  }

  /** One price or null. */
  async get(id: number): Promise<PriceRecord | null> {
    const row = (await this.db(TABLE).where({ id }).first()) as Record<string, unknown> | undefined
    return row ? fromRow(row) : null
  }

  /** Stores a new price. */
  async create(fields: PriceFields): Promise<PriceRecord> {
    const id = await insertId(this.db, TABLE, toRow(fields, this.now()))
    return this.mustGet(id)
  }

  /** Changes a price; null when it does not exist. */
  async update(id: number, patch: PricePatch): Promise<PriceRecord | null> {
    const current = await this.get(id)
    if (!current) return null
    await this.db(TABLE)
      .where({ id })
      .update(toRow({ ...current, ...patch }, this.now()))
    return this.mustGet(id)
  }

  /** Deletes a price; false when it did not exist. */
  async delete(id: number): Promise<boolean> {
    return (await this.db(TABLE).where({ id }).delete()) > 0
  }

  /** How many models.dev prices are stored, and when they were last written (null: none). */
  async modelsDevState(): Promise<{ count: number; updatedAt: number | null }> {
    const row = (await this.db(TABLE).where({ source: MODELS_DEV }).count({ n: '*' }).max({ at: 'updated_at' }).first()) as
      | { n: unknown; at: unknown }
      | undefined
    return { count: toNumber(row?.n ?? 0), updatedAt: toNullableNumber(row?.at) }
  }

  /**
   * Stores `prices` as the models.dev prices when there are none yet, in one transaction; answers
   * how many it stored (0 when some were there, or another instance seeded them at the same time).
   */
  async seedModelsDev(prices: readonly PriceFields[]): Promise<number> {
    try {
      return await this.db.transaction(async trx => {
        const existing = (await trx(TABLE).where({ source: MODELS_DEV }).first('id')) as unknown
        if (existing !== undefined) return 0
        await insertAll(trx, prices, this.now())
        return prices.length
      })
    } catch (err) {
      // The unique (source, provider, model) index refused a second seeder's rows: they are there.
      if (isUniqueViolation(err)) return 0
      throw err
    }
  }

  /** Replaces every models.dev price with `prices` in one transaction; user and channel prices stay. */
  async replaceModelsDev(prices: readonly PriceFields[]): Promise<void> {
    await this.db.transaction(async trx => {
      await trx(TABLE).where({ source: MODELS_DEV }).delete()
      await insertAll(trx, prices, this.now())
    })
  }

  private filtered(filter: PriceFilter): Knex.QueryBuilder {
    const query = this.db(TABLE)
    if (filter.search) {
      const pattern = `%${filter.search.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`
      query.whereRaw('LOWER(model) LIKE ? ESCAPE ?', [pattern, '\\'])
    }
    if (filter.source) query.where({ source: filter.source })
    if (filter.channelId !== undefined) query.where({ channel_id: filter.channelId })
    return query
  }

  private async mustGet(id: number): Promise<PriceRecord> {
    const saved = await this.get(id)
    if (!saved) throw new Error(`price ${id} vanished while being written`)
    return saved
  }
}

async function insertAll(trx: Knex.Transaction, prices: readonly PriceFields[], at: number): Promise<void> {
  const rows = prices.map(p => toRow(p, at))
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) await trx(TABLE).insert(rows.slice(i, i + INSERT_CHUNK))
}

function toRow(fields: PriceFields, at: number): Record<string, unknown> {
  return {
    model: fields.model,
    source: fields.source,
    channel_id: fields.channelId,
    provider: fields.provider,
    input: fields.input,
    output: fields.output,
    cache_read: fields.cacheRead,
    cache_write: fields.cacheWrite,
    extra: fields.tiers.length > 0 ? toJson({ tiers: fields.tiers }) : null,
    updated_at: at
  }
}

function fromRow(row: Record<string, unknown>): PriceRecord {
  return {
    id: toNumber(row.id),
    model: String(row.model),
    source: PriceSourceSchema.parse(row.source),
    channelId: toNullableNumber(row.channel_id),
    provider: row.provider === null || row.provider === undefined ? null : String(row.provider),
    input: toNumber(row.input),
    output: toNumber(row.output),
    cacheRead: toNullableNumber(row.cache_read),
    cacheWrite: toNullableNumber(row.cache_write),
    tiers: row.extra === null || row.extra === undefined ? [] : fromJson(row.extra, ExtraSchema).tiers,
    updatedAt: toNumber(row.updated_at)
  }
}
