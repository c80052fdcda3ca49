import { join } from 'node:path'
import knexFactory, { type Knex } from 'knex'

/** Which database engine a knex instance talks to. */
export type DbClient = 'sqlite' | 'postgres' | 'mysql'

/** Where the data lives: the SQLite file in the data dir, or a server database URL. */
export type DbTarget = { client: 'sqlite'; filename: string } | { client: 'postgres' | 'mysql'; url: string }

/** Picks the database from `CUTTLE_DB_URL`, else SQLite in the data dir. */
export function dbTargetFor(dbUrl: string | null, dataDir: string): DbTarget {
  if (dbUrl === null) return { client: 'sqlite', filename: join(dataDir, 'cuttle.db') }
  return { client: /^postgres(ql)?:/.test(dbUrl) ? 'postgres' : 'mysql', url: dbUrl.replace(/^mariadb:/, 'mysql:') }
}

/** A knex instance with the pragmas and pool each engine needs. */
export function createKnex(target: DbTarget): Knex {
  if (target.client === 'sqlite') {
    return knexFactory({
      client: 'better-sqlite3',
      connection: { filename: target.filename },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        afterCreate(conn: { pragma(sql: string): unknown }, done: (err: Error | null, conn: unknown) => void) {
          // WAL lets the UI read while the flusher writes; the busy timeout rides out checkpoints.
          conn.pragma('journal_mode = WAL')
          conn.pragma('synchronous = NORMAL')
          conn.pragma('busy_timeout = 5000')
          conn.pragma('foreign_keys = ON')
          done(null, conn)
        }
      }
    })
  }
  if (target.client === 'postgres') {
    return knexFactory({ client: 'pg', connection: target.url, pool: { min: 0, max: 10 } })
  }
  return knexFactory({
    client: 'mysql2',
    connection: { uri: target.url, charset: 'utf8mb4', supportBigNumbers: true, bigNumberStrings: false },
    pool: { min: 0, max: 10 }
  })
}

/** The engine behind a knex instance. */
export function dbClientOf(knex: Knex): DbClient {
  const name = String(knex.client.config.client)
  if (name === 'pg') return 'postgres'
  if (name === 'mysql2') return 'mysql'
  return 'sqlite'
}
