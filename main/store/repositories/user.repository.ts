import type { Knex } from 'knex'
import { insertId, toNumber } from '../columns'
import type { UserRecord } from '../records'

const TABLE = 'users'

/** Admin accounts. */
export class UserRepository {
  constructor(
    private readonly db: Knex,
    private readonly now: () => number
  ) {}

  /** How many admin accounts exist. */
  async count(): Promise<number> {
    const row = (await this.db(TABLE).count({ n: '*' }).first()) as { n: unknown } | undefined
    return toNumber(row?.n ?? 0)
  }

  /** Creates an account with an already hashed password. */
  async create(username: string, passwordHash: string): Promise<UserRecord> {
    const at = this.now()
    const id = await insertId(this.db, TABLE, {
      username,
      password_hash: passwordHash,
      session_epoch: 0,
      created_at: at,
      updated_at: at
    })
    const user = await this.get(id)
    if (!user) throw new Error(`user ${id} vanished after insert`)
    return user
  }

  /** One account or null. */
  async get(id: number): Promise<UserRecord | null> {
    const row = (await this.db(TABLE).where({ id }).first()) as Record<string, unknown> | undefined
    return row ? fromRow(row) : null
  }

  /** The oldest account (the admin created on first start), or null before there is one. */
  async first(): Promise<UserRecord | null> {
    const row = (await this.db(TABLE).orderBy('id', 'asc').first()) as Record<string, unknown> | undefined
    return row ? fromRow(row) : null
  }

  /** One account by name or null. */
  async findByUsername(username: string): Promise<UserRecord | null> {
    const row = (await this.db(TABLE).where({ username }).first()) as Record<string, unknown> | undefined
    return row ? fromRow(row) : null
  }

  /** Sets a new password hash and revokes every token issued before. */
  async setPassword(id: number, passwordHash: string): Promise<void> {
    await this.db(TABLE)
      .where({ id })
      .update({ password_hash: passwordHash, updated_at: this.now() })
      .increment('session_epoch', 1)
  }

  /** Revokes every token issued so far. */
  async revokeSessions(id: number): Promise<void> {
    await this.db(TABLE).where({ id }).increment('session_epoch', 1)
  }
}

function fromRow(row: Record<string, unknown>): UserRecord {
  return {
    id: toNumber(row.id),
    username: String(row.username),
    passwordHash: String(row.password_hash),
    sessionEpoch: toNumber(row.session_epoch),
    createdAt: toNumber(row.created_at),
    updatedAt: toNumber(row.updated_at)
  }
}
