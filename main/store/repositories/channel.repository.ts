import type { Knex } from 'knex'
import { z } from 'zod'
import { AntigravityOptionsSchema, AzureOptionsSchema, ChannelTimeoutsSchema } from '@shared/dto/channel'
import { ErrorRulesSchema } from '@shared/dto/error-rule'
import { CHANNEL_TYPES } from '@shared/constants/protocol'
import type { SecretBox } from '../../security/secret-box'
import { fromJson, fromJsonList, insertId, toBool, toJson, toNumber } from '../columns'
import type { ChannelFields, ChannelRecord } from '../records'

const StringList = z.array(z.string())
const StringMap = z.record(z.string(), z.string())
const TABLE = 'channels'

/** Channels; provider keys, headers, proxy and Antigravity options are sealed with the secret box on the way in and opened on the way out. */
export class ChannelRepository {
  constructor(
    private readonly db: Knex,
    private readonly box: SecretBox,
    private readonly now: () => number
  ) {}

  /** Every channel, oldest first. */
  async list(db: Knex = this.db): Promise<ChannelRecord[]> {
    const rows = (await db(TABLE).select('*').orderBy('id')) as Record<string, unknown>[]
    return rows.map(row => this.fromRow(row))
  }

  /** One channel or null. */
  async get(id: number, db: Knex = this.db): Promise<ChannelRecord | null> {
    const row = (await db(TABLE).where({ id }).first()) as Record<string, unknown> | undefined
    return row ? this.fromRow(row) : null
  }

  /** One channel by its unique name or null. */
  async findByName(name: string, db: Knex = this.db): Promise<ChannelRecord | null> {
    const row = (await db(TABLE).where({ name }).first()) as Record<string, unknown> | undefined
    return row ? this.fromRow(row) : null
  }

  /** Inserts a channel and returns it. */
  async create(fields: ChannelFields, db: Knex = this.db): Promise<ChannelRecord> {
    const at = this.now()
    const id = await insertId(db, TABLE, { ...this.toRow(fields), created_at: at, updated_at: at })
    const created = await this.get(id, db)
    if (!created) throw new Error(`channel ${id} vanished after insert`)
    return created
  }

  /** Replaces the given fields; null when the channel does not exist. */
  async update(id: number, fields: Partial<ChannelFields>, db: Knex = this.db): Promise<ChannelRecord | null> {
    const current = await this.get(id, db)
    if (!current) return null
    await db(TABLE)
      .where({ id })
      .update({ ...this.toRow({ ...current, ...fields }), updated_at: this.now() })
    return this.get(id, db)
  }

  /** Deletes a channel (its group memberships go with it); false when it did not exist. */
  async delete(id: number): Promise<boolean> {
    return (await this.db(TABLE).where({ id }).delete()) > 0
  }

  private toRow(fields: ChannelFields): Record<string, unknown> {
    return {
      name: fields.name,
      type: fields.type,
      base_urls: toJson(fields.baseUrls),
      keys: toJson(fields.keys.map(key => this.box.seal(key))),
      models: toJson(fields.models),
      enabled: fields.enabled,
      priority: fields.priority,
      weight: fields.weight,
      // Headers and proxy URLs often carry credentials too (Authorization, api-key, user:pass@).
      headers: this.box.seal(toJson(fields.headers)),
      proxy: fields.proxy === null ? null : this.box.seal(fields.proxy),
      timeouts: toJson(fields.timeouts),
      model_map: toJson(fields.modelMap),
      auto_sync: fields.autoSync,
      azure: fields.azure === null ? null : toJson(fields.azure),
      // Sealed whole: the client secret is a credential, and one value keeps the column simple.
      antigravity: fields.antigravity === null ? null : this.box.seal(toJson(fields.antigravity)),
      error_rules: toJson(fields.errorRules)
    }
  }

  private fromRow(row: Record<string, unknown>): ChannelRecord {
    return {
      id: toNumber(row.id),
      name: String(row.name),
      type: z.enum(CHANNEL_TYPES).parse(row.type),
      baseUrls: fromJson(row.base_urls, StringList),
      keys: fromJson(row.keys, StringList).map(sealed => this.box.open(sealed)),
      models: fromJson(row.models, StringList),
      enabled: toBool(row.enabled),
      priority: toNumber(row.priority),
      weight: toNumber(row.weight),
      headers: fromJson(this.box.open(String(row.headers)), StringMap),
      proxy: row.proxy === null ? null : this.box.open(String(row.proxy)),
      timeouts: fromJson(row.timeouts, ChannelTimeoutsSchema),
      modelMap: fromJson(row.model_map, StringMap),
      autoSync: toBool(row.auto_sync),
      azure: row.azure === null || row.azure === undefined ? null : fromJson(row.azure, AzureOptionsSchema),
      antigravity: row.antigravity === null || row.antigravity === undefined ? null : fromJson(this.box.open(String(row.antigravity)), AntigravityOptionsSchema),
      errorRules: fromJsonList(row.error_rules, ErrorRulesSchema),
      createdAt: toNumber(row.created_at),
      updatedAt: toNumber(row.updated_at)
    }
  }
}
