import type { Knex } from 'knex'
import { z } from 'zod'
import { ApiKeyLimitsSchema } from '@shared/dto/api-key'
import { fromJson, insertId, toBool, toJson, toNullableNumber, toNumber } from '../columns'
import type { ApiKeyFields, ApiKeyRecord } from '../records'

const TABLE = 'api_keys'

/** Client keys, stored as SHA-256 hashes. */
export class ApiKeyRepository {
  constructor(
    private readonly db: Knex,
    private readonly now: () => number
  ) {}

  /** Every key, oldest first. */
  async list(): Promise<ApiKeyRecord[]> {
    const rows = (await this.db(TABLE).select('*').orderBy('id')) as Record<string, unknown>[]
    return rows.map(fromRow)
  }

  /** One key or null. */
  async get(id: number, db: Knex = this.db): Promise<ApiKeyRecord | null> {
    const row = (await db(TABLE).where({ id }).first()) as Record<string, unknown> | undefined
    return row ? fromRow(row) : null
  }

  /** One key by name or null. */
  async findByName(name: string, db: Knex = this.db): Promise<ApiKeyRecord | null> {
    const row = (await db(TABLE).where({ name }).first()) as Record<string, unknown> | undefined
    return row ? fromRow(row) : null
  }

  /** Inserts a key record and returns it. */
  async create(fields: ApiKeyFields, db: Knex = this.db): Promise<ApiKeyRecord> {
    const at = this.now()
    const id = await insertId(db, TABLE, { ...toRow(fields), created_at: at, updated_at: at })
    const created = await this.get(id, db)
    if (!created) throw new Error(`api key ${id} vanished after insert`)
    return created
  }

  /** Replaces the given fields; null when absent. */
  async update(id: number, fields: Partial<ApiKeyFields>, db: Knex = this.db): Promise<ApiKeyRecord | null> {
    const current = await this.get(id, db)
    if (!current) return null
    await db(TABLE)
      .where({ id })
      .update({ ...toRow({ ...current, ...fields }), updated_at: this.now() })
    return this.get(id, db)
  }

  /** Deletes a key; false when it did not exist. */
  async delete(id: number): Promise<boolean> {
    return (await this.db(TABLE).where({ id }).delete()) > 0
  }
}

function toRow(fields: ApiKeyFields): Record<string, unknown> {
  return {
    name: fields.name,
    key_hash: fields.keyHash,
    key_prefix: fields.keyPrefix,
    allowed_groups: fields.allowedGroups === null ? null : toJson(fields.allowedGroups),
    limits: toJson(fields.limits),
    expires_at: fields.expiresAt,
    enabled: fields.enabled
  }
}

function fromRow(row: Record<string, unknown>): ApiKeyRecord {
  return {
    id: toNumber(row.id),
    name: String(row.name),
    keyHash: String(row.key_hash),
    keyPrefix: String(row.key_prefix),
    allowedGroups: row.allowed_groups === null ? null : fromJson(row.allowed_groups, z.array(z.string())),
    limits: fromJson(row.limits, ApiKeyLimitsSchema),
    expiresAt: toNullableNumber(row.expires_at),
    enabled: toBool(row.enabled),
    createdAt: toNumber(row.created_at),
    updatedAt: toNumber(row.updated_at)
  }
}
