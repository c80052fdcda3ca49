import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Knex } from 'knex'
import { createKnex, type DbClient, type DbTarget } from '../store/knex'

/** A database of one engine made for one test file, dropped afterwards. */
export interface TestDatabase {
  client: DbClient
  target: DbTarget
  /** Value for `CUTTLE_DB_URL` (null for SQLite, which lives in `dataDir`). */
  dbUrl: string | null
  /** A fresh directory usable as the data dir. */
  dataDir: string
  knex: Knex
  destroy(): Promise<void>
}

/** Engines to test: SQLite always, PostgreSQL and MariaDB when their URLs are set. */
export function testDatabaseClients(): DbClient[] {
  const clients: DbClient[] = ['sqlite']
  if (process.env.CUTTLE_TEST_PG_URL) clients.push('postgres')
  if (process.env.CUTTLE_TEST_MYSQL_URL) clients.push('mysql')
  return clients
}

function serverUrl(client: 'postgres' | 'mysql'): string {
  const url = client === 'postgres' ? process.env.CUTTLE_TEST_PG_URL : process.env.CUTTLE_TEST_MYSQL_URL
  if (!url) throw new Error(`no test URL for ${client}`)
  return url
}

/** Creates an empty database (a new database on the servers, a new file for SQLite). */
export async function createTestDatabase(client: DbClient): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cuttle-test-'))
  if (client === 'sqlite') {
    const target: DbTarget = { client, filename: join(dataDir, 'cuttle.db') }
    const knex = createKnex(target)
    return {
      client,
      target,
      dbUrl: null,
      dataDir,
      knex,
      async destroy() {
        await knex.destroy()
        rmSync(dataDir, { recursive: true, force: true })
      }
    }
  }
  const base = serverUrl(client)
  const name = `cuttle_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`
  const admin = createKnex({ client, url: base })
  await admin.raw(client === 'postgres' ? `CREATE DATABASE "${name}"` : `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`)
  await admin.destroy()
  const url = new URL(base)
  url.pathname = `/${name}`
  const target: DbTarget = { client, url: url.toString() }
  const knex = createKnex(target)
  return {
    client,
    target,
    dbUrl: url.toString(),
    dataDir,
    knex,
    async destroy() {
      await knex.destroy()
      const cleanup = createKnex({ client, url: base })
      await cleanup.raw(client === 'postgres' ? `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)` : `DROP DATABASE IF EXISTS \`${name}\``)
      await cleanup.destroy()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}
