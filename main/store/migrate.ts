import { existsSync } from 'node:fs'
import type { Knex } from 'knex'
import { MIGRATIONS } from './migrations'
import type { Migration } from './migrations/migration'

const MIGRATION_TABLE = 'cuttle_migrations'

const source: Knex.MigrationSource<Migration> = {
  getMigrations: () => Promise.resolve([...MIGRATIONS]),
  getMigrationName: migration => migration.name,
  getMigration: migration => Promise.resolve(migration)
}

const migrateConfig = { migrationSource: source, tableName: MIGRATION_TABLE }

/** What migrate() did. */
export interface MigrateResult {
  applied: string[]
  backup: string | null
}

/**
 * Brings the schema up to date. When an existing SQLite file is about to get a newer schema, a
 * consistent copy of it is written first (`VACUUM INTO`), so an upgrade can always be undone.
 */
export async function migrate(
  knex: Knex,
  sqliteFile: string | null,
  now: () => number
): Promise<MigrateResult> {
  let backup: string | null = null
  if (sqliteFile !== null && existsSync(sqliteFile)) {
    const [done, pending] = (await knex.migrate.list(migrateConfig)) as [unknown[], unknown[]]
    if (done.length > 0 && pending.length > 0) {
      backup = `${sqliteFile}.${new Date(now()).toISOString().replace(/[:.]/g, '-')}.bak`
      await knex.raw('VACUUM INTO ?', [backup])
    }
  }
  const [, applied] = (await knex.migrate.latest(migrateConfig)) as [number, string[]]
  return { applied, backup }
}

/** Undoes every migration (tests use it to leave a shared server database clean). */
export async function rollbackAll(knex: Knex): Promise<void> {
  await knex.migrate.rollback(migrateConfig, true)
}
