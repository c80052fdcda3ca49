import { existsSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import type { Knex } from 'knex'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fixedClock } from '../testing/factories'
import { createTestDatabase, type TestDatabase } from '../testing/test-db'
import { createKnex } from './knex'
import { migrate } from './migrate'
import type { Migration } from './migrations/migration'

/** The list migrate() sees; each test sets it (the real migrations, maybe plus a test one). */
const state = vi.hoisted(() => ({ real: [] as Migration[], list: [] as Migration[] }))

vi.mock(import('./migrations'), async importOriginal => {
  const original = await importOriginal()
  state.real = [...original.MIGRATIONS]
  return { MIGRATIONS: state.list }
})

/** A later schema step: a new table and a new column on an existing one. */
const extra: Migration = {
  name: '29991231Z-test-extra',
  async up(knex) {
    await knex.schema.createTable('test_notes', table => {
      table.increments('id')
      table.string('body', 100).notNullable()
    })
    await knex.schema.alterTable('users', table => {
      table.string('nickname', 100).nullable()
    })
  },
  async down(knex) {
    await knex.schema.alterTable('users', table => table.dropColumn('nickname'))
    await knex.schema.dropTable('test_notes')
  }
}

/** 1_700_000_000_000 is 2023-11-14T22:13:20.000Z. */
const BACKUP_SUFFIX = '.2023-11-14T22-13-20-000Z.bak'

function sqliteFile(db: TestDatabase): string {
  if (db.target.client !== 'sqlite') throw new Error('sqlite only')
  return db.target.filename
}

function backupsIn(dir: string): string[] {
  return readdirSync(dir).filter(name => name.endsWith('.bak'))
}

async function tableNames(knex: Knex): Promise<string[]> {
  const rows = (await knex('sqlite_master').where({ type: 'table' }).select('name')) as Array<{ name: string }>
  return rows.map(r => r.name).filter(name => !name.startsWith('sqlite_'))
}

describe('migrate on SQLite', () => {
  let db: TestDatabase

  beforeEach(async () => {
    // Load the mocked module (and with it the real list) before the first test uses it.
    await import('./migrations')
    state.list.splice(0, state.list.length, ...state.real)
    db = await createTestDatabase('sqlite')
  })

  afterEach(async () => {
    await db.destroy()
  })

  it('applies the initial migration to a fresh file without a backup', async () => {
    expect(state.real.map(m => m.name)).toContain('20261122A-initial-schema')
    await db.knex.raw('select 1') // the file now exists, but holds no migration yet
    expect(existsSync(sqliteFile(db))).toBe(true)

    const result = await migrate(db.knex, sqliteFile(db), fixedClock)

    expect(result).toEqual({ applied: state.real.map(m => m.name), backup: null })
    expect(result.applied[0]).toBe('20261122A-initial-schema')
    expect(backupsIn(db.dataDir)).toEqual([])
    expect(await tableNames(db.knex)).toEqual(
      expect.arrayContaining(['users', 'channels', 'groups', 'group_members', 'api_keys', 'prices', 'usage_hourly'])
    )
    expect(await tableNames(db.knex)).toEqual(expect.arrayContaining(['request_logs', 'settings', 'cuttle_migrations']))
  })

  it('applies nothing and writes no backup when already up to date', async () => {
    await migrate(db.knex, sqliteFile(db), fixedClock)
    await db.knex('settings').insert({ key: 'maxAttempts', value: '5', updated_at: 1 })

    const again = await migrate(db.knex, sqliteFile(db), fixedClock)

    expect(again).toEqual({ applied: [], backup: null })
    expect(backupsIn(db.dataDir)).toEqual([])
    expect(await db.knex('settings').select('key', 'value')).toEqual([{ key: 'maxAttempts', value: '5' }])
  })

  it('backs up an older file before applying newer migrations, and keeps its data', async () => {
    const file = sqliteFile(db)
    const first = state.real[0]
    if (!first) throw new Error('no migrations')
    const onlyFirst: Knex.MigrationSource<Migration> = {
      getMigrations: () => Promise.resolve([first]),
      getMigrationName: m => m.name,
      getMigration: m => Promise.resolve(m)
    }
    await db.knex.migrate.latest({ migrationSource: onlyFirst, tableName: 'cuttle_migrations' })
    await db.knex('users').insert({ username: 'admin', password_hash: 'h', session_epoch: 2, created_at: 1, updated_at: 1 })
    await db.knex('settings').insert({ key: 'logRetentionDays', value: '60', updated_at: 1 })
    const tablesBefore = await tableNames(db.knex)

    state.list.push(extra)
    const result = await migrate(db.knex, file, fixedClock)

    expect(result.applied).toEqual([...state.real.slice(1).map(m => m.name), extra.name])
    expect(result.backup).toBe(`${file}${BACKUP_SUFFIX}`)
    expect(dirname(result.backup ?? '')).toBe(dirname(file))
    expect(backupsIn(db.dataDir)).toEqual([`cuttle.db${BACKUP_SUFFIX}`])

    // The live file has the new schema and still holds the data.
    expect(await tableNames(db.knex)).toContain('test_notes')
    expect(await db.knex('users').select('username', 'session_epoch', 'nickname')).toEqual([
      { username: 'admin', session_epoch: 2, nickname: null }
    ])
    expect(await db.knex('settings').select('key', 'value')).toEqual([{ key: 'logRetentionDays', value: '60' }])

    // The backup is a valid SQLite database with the pre-migration schema and data.
    const backup = new Database(join(db.dataDir, `cuttle.db${BACKUP_SUFFIX}`), { readonly: true, fileMustExist: true })
    try {
      expect(backup.pragma('integrity_check', { simple: true })).toBe('ok')
      const names = (backup.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>)
        .map(r => r.name)
        .filter(name => !name.startsWith('sqlite_'))
      expect(names.sort()).toEqual([...tablesBefore].sort())
      expect(names).not.toContain('test_notes')
      expect(backup.prepare('SELECT username, session_epoch FROM users').all()).toEqual([{ username: 'admin', session_epoch: 2 }])
      const userColumns = (backup.prepare('PRAGMA table_info(users)').all() as Array<{ name: string }>).map(c => c.name)
      expect(userColumns).not.toContain('nickname')
      expect(backup.prepare('SELECT value FROM settings WHERE key = ?').get('logRetentionDays')).toEqual({ value: '60' })
      expect(backup.prepare('SELECT name FROM cuttle_migrations ORDER BY id').all()).toEqual([{ name: first.name }])
    } finally {
      backup.close()
    }

    // Once up to date, no further backup.
    expect(await migrate(db.knex, file, fixedClock)).toEqual({ applied: [], backup: null })
    expect(backupsIn(db.dataDir)).toHaveLength(1)
  })

  it('makes no backup for a server database (no file given)', async () => {
    const first = state.real[0]
    if (!first) throw new Error('no migrations')
    await db.knex.migrate.latest({
      migrationSource: {
        getMigrations: () => Promise.resolve([first]),
        getMigrationName: (m: Migration) => m.name,
        getMigration: (m: Migration) => Promise.resolve(m)
      },
      tableName: 'cuttle_migrations'
    })
    state.list.push(extra)
    const result = await migrate(db.knex, null, fixedClock)
    expect(result.applied).toContain(extra.name)
    expect(result.backup).toBeNull()
    expect(backupsIn(db.dataDir)).toEqual([])
  })

  it('opens SQLite in WAL mode with foreign keys on', async () => {
    const knex = createKnex({ client: 'sqlite', filename: join(db.dataDir, 'pragmas.db') })
    try {
      const journal = (await knex.raw('PRAGMA journal_mode')) as Array<{ journal_mode: unknown }>
      expect(journal).toEqual([{ journal_mode: 'wal' }])
      const fk = (await knex.raw('PRAGMA foreign_keys')) as Array<{ foreign_keys: unknown }>
      expect(fk).toEqual([{ foreign_keys: 1 }])
      const busy = (await knex.raw('PRAGMA busy_timeout')) as Array<Record<string, unknown>>
      expect(Object.values(busy[0] ?? {})).toEqual([5000])
    } finally {
      await knex.destroy()
    }
  })
})
