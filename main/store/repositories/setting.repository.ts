import type { Knex } from 'knex'
import { SettingsSchema, type Settings, type SettingsUpdate } from '@shared/dto/settings'
import { toJson } from '../columns'
import { inTransaction } from '../transaction'

const TABLE = 'settings'

/** Runtime settings as key/value rows; unknown or invalid stored values fall back to defaults. */
export class SettingRepository {
  constructor(
    private readonly db: Knex,
    private readonly now: () => number
  ) {}

  /** Every setting, defaults filled in. */
  async getAll(db: Knex = this.db): Promise<Settings> {
    const rows = (await db(TABLE).select('key', 'value')) as Array<{ key: string; value: string }>
    const shape = SettingsSchema.shape
    const stored: Record<string, unknown> = {}
    for (const { key, value } of rows) {
      if (!(key in shape)) continue
      const field = shape[key as keyof typeof shape]
      const parsed = field.safeParse(safeJson(value))
      if (parsed.success) stored[key] = parsed.data
    }
    return SettingsSchema.parse(stored)
  }

  /** A value the core keeps for itself (names start with `_`, never shown as settings). */
  async getInternal(key: `_${string}`): Promise<string | null> {
    const row = (await this.db(TABLE).where({ key }).first('value')) as { value: string } | undefined
    return row?.value ?? null
  }

  /** Stores an internal value. */
  async setInternal(key: `_${string}`, value: string): Promise<void> {
    await this.db(TABLE)
      .insert({ key, value, updated_at: this.now() })
      .onConflict('key')
      .merge(['value', 'updated_at'])
  }

  /** Writes the given settings and returns the full set. */
  async update(patch: SettingsUpdate, db: Knex = this.db): Promise<Settings> {
    return inTransaction(db, async trx => {
      const at = this.now()
      const rows = Object.entries(patch)
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => ({ key, value: toJson(value), updated_at: at }))
      if (rows.length > 0) await trx(TABLE).insert(rows).onConflict('key').merge(['value', 'updated_at'])
      return this.getAll(trx)
    })
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
