import type { Knex } from 'knex'
import { z } from 'zod'
import { BALANCE_MODES } from '@shared/constants/protocol'
import { ErrorRulesSchema } from '@shared/dto/error-rule'
import { fromJson, fromJsonList, insertId, toBool, toJson, toNullableNumber, toNumber } from '../columns'
import { inTransaction } from '../transaction'
import type { GroupFields, GroupMemberRecord, GroupRecord } from '../records'

const TABLE = 'groups'
const MEMBERS = 'group_members'

/** Groups and their members; members are always written together with their group. */
export class GroupRepository {
  constructor(
    private readonly db: Knex,
    private readonly now: () => number
  ) {}

  /** Every group with members, oldest first. */
  async list(db: Knex = this.db): Promise<GroupRecord[]> {
    const rows = (await db(TABLE).select('*').orderBy('id')) as Record<string, unknown>[]
    const members = (await db(MEMBERS).select('*').orderBy(['group_id', 'position'])) as Record<string, unknown>[]
    return rows.map(row => fromRow(row, members.filter(m => toNumber(m.group_id) === toNumber(row.id))))
  }

  /** One group or null. */
  async get(id: number, db: Knex = this.db): Promise<GroupRecord | null> {
    const row = (await db(TABLE).where({ id }).first()) as Record<string, unknown> | undefined
    if (!row) return null
    const members = (await db(MEMBERS).where({ group_id: id }).orderBy('position')) as Record<string, unknown>[]
    return fromRow(row, members)
  }

  /** One group by name or null. */
  async findByName(name: string, db: Knex = this.db): Promise<GroupRecord | null> {
    const row = (await db(TABLE).where({ name }).first()) as Record<string, unknown> | undefined
    return row ? this.get(toNumber(row.id), db) : null
  }

  /** Inserts a group with its members in one transaction. */
  async create(fields: GroupFields, db: Knex = this.db): Promise<GroupRecord> {
    return inTransaction(db, async trx => {
      const at = this.now()
      const id = await insertId(trx, TABLE, { ...toRow(fields), created_at: at, updated_at: at })
      await writeMembers(trx, id, fields.members)
      const created = await this.get(id, trx)
      if (!created) throw new Error(`group ${id} vanished after insert`)
      return created
    })
  }

  /** Replaces the given fields (and the member list when given); null when absent. */
  async update(id: number, fields: Partial<GroupFields>, db: Knex = this.db): Promise<GroupRecord | null> {
    return inTransaction(db, async trx => {
      const current = await this.get(id, trx)
      if (!current) return null
      await trx(TABLE)
        .where({ id })
        .update({ ...toRow({ ...current, ...fields }), updated_at: this.now() })
      if (fields.members) {
        await trx(MEMBERS).where({ group_id: id }).delete()
        await writeMembers(trx, id, fields.members)
      }
      return this.get(id, trx)
    })
  }

  /**
   * Appends members after the group's current ones, skipping pairs (channel, model) it already
   * has, without rewriting the others (a concurrent writer's additions are kept); returns the
   * members added, or null when the group does not exist.
   */
  async addMembers(id: number, members: readonly GroupMemberRecord[], db: Knex = this.db): Promise<GroupMemberRecord[] | null> {
    return inTransaction(db, async trx => {
      const current = await this.get(id, trx)
      if (!current) return null
      const have = new Set(current.members.map(m => memberKey(m.channelId, m.model)))
      const fresh = members.filter(m => {
        const key = memberKey(m.channelId, m.model)
        if (have.has(key)) return false
        have.add(key)
        return true
      })
      if (fresh.length === 0) return []
      const row = (await trx(MEMBERS).where({ group_id: id }).max({ last: 'position' }).first()) as { last: unknown } | undefined
      const start = row?.last === null || row?.last === undefined ? 0 : toNumber(row.last) + 1
      await writeMembers(trx, id, fresh, start)
      await trx(TABLE).where({ id }).update({ updated_at: this.now() })
      return fresh
    })
  }

  /** Deletes a group; false when it did not exist. */
  async delete(id: number): Promise<boolean> {
    return (await this.db(TABLE).where({ id }).delete()) > 0
  }
}

function memberKey(channelId: number, model: string): string {
  return JSON.stringify([channelId, model])
}

async function writeMembers(trx: Knex, groupId: number, members: readonly GroupMemberRecord[], start = 0): Promise<void> {
  if (members.length === 0) return
  await trx(MEMBERS).insert(
    members.map((member, at) => ({
      group_id: groupId,
      channel_id: member.channelId,
      model: member.model,
      priority: member.priority,
      weight: member.weight,
      position: start + at
    }))
  )
}

function toRow(fields: GroupFields): Record<string, unknown> {
  return {
    name: fields.name,
    mode: fields.mode,
    enabled: fields.enabled,
    fallback: toJson(fields.fallback),
    first_token_timeout_ms: fields.firstTokenTimeoutMs,
    total_timeout_ms: fields.totalTimeoutMs,
    max_attempts: fields.maxAttempts,
    model_pattern: fields.modelPattern,
    error_rules: toJson(fields.errorRules)
  }
}

function fromRow(row: Record<string, unknown>, members: Record<string, unknown>[]): GroupRecord {
  return {
    id: toNumber(row.id),
    name: String(row.name),
    mode: z.enum(BALANCE_MODES).parse(row.mode),
    enabled: toBool(row.enabled),
    fallback: fromJson(row.fallback, z.array(z.string())),
    firstTokenTimeoutMs: toNullableNumber(row.first_token_timeout_ms),
    totalTimeoutMs: toNullableNumber(row.total_timeout_ms),
    maxAttempts: toNullableNumber(row.max_attempts),
    modelPattern: row.model_pattern === null || row.model_pattern === undefined ? null : String(row.model_pattern),
    members: members.map(m => ({
      channelId: toNumber(m.channel_id),
      model: String(m.model),
      priority: toNumber(m.priority),
      weight: toNumber(m.weight)
    })),
    errorRules: fromJsonList(row.error_rules, ErrorRulesSchema),
    createdAt: toNumber(row.created_at),
    updatedAt: toNumber(row.updated_at)
  }
}
