import type { Knex } from 'knex'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, testDatabaseClients, type TestDatabase } from '../../testing/test-db'
import type { DbClient } from '../knex'
import { migrate } from '../migrate'
import { pageQuery, type LogFilter } from '../repositories/request-log.page'
import { initialSchema } from './20261122A-initial-schema'
import { usageByUpstreamModel } from './20261130A-usage-by-upstream-model'
import { requestLogIndexes } from './20261201A-request-log-indexes'

/** Index names of request_logs and, on PostgreSQL, their definitions. */
async function indexes(knex: Knex, client: DbClient): Promise<Map<string, string>> {
  if (client === 'sqlite') {
    const rows = (await knex('sqlite_master').where({ type: 'index', tbl_name: 'request_logs' }).select('name', 'sql')) as Array<{ name: string; sql: string | null }>
    return new Map(rows.map(r => [r.name, r.sql ?? '']))
  }
  if (client === 'postgres') {
    const rows = (await knex('pg_indexes').where({ tablename: 'request_logs' }).select('indexname', 'indexdef')) as Array<{ indexname: string; indexdef: string }>
    return new Map(rows.map(r => [r.indexname, r.indexdef]))
  }
  const rows = (await knex('information_schema.statistics')
    .whereRaw('table_schema = DATABASE()')
    .andWhere({ table_name: 'request_logs' })
    .distinct({ name: 'index_name' })) as Array<{ name: string }>
  return new Map(rows.map(r => [r.name, '']))
}

describe.each(testDatabaseClients())('migration 20261201A on %s', client => {
  let db: TestDatabase
  beforeEach(async () => {
    db = await createTestDatabase(client)
    await initialSchema.up(db.knex)
    await usageByUpstreamModel.up(db.knex)
  })
  afterEach(async () => {
    await db.destroy()
  })

  it('adds (upstream_model, time) everywhere and the partial index of failures where the engine has partial indexes', async () => {
    const before = await indexes(db.knex, client)
    await requestLogIndexes.up(db.knex)
    const after = await indexes(db.knex, client)
    const added = [...after.keys()].filter(name => !before.has(name)).sort()
    if (client === 'mysql') {
      expect(added).toEqual(['request_logs_upstream_model_time'])
    } else {
      expect(added).toEqual(['request_logs_failed_time', 'request_logs_upstream_model_time'])
      expect(after.get('request_logs_failed_time')).toMatch(/WHERE \(?["`]?status["`]?\s*>=\s*400\)?/i)
    }
    await requestLogIndexes.down(db.knex)
    expect([...(await indexes(db.knex, client)).keys()].sort()).toEqual([...before.keys()].sort())
  })
})

describe('log list query plans on SQLite (every filter of the UI has an index returning rows in page order)', () => {
  let db: TestDatabase
  beforeEach(async () => {
    db = await createTestDatabase('sqlite')
    await migrate(db.knex, null, () => 0)
  })
  afterEach(async () => {
    await db.destroy()
  })

  const T = 1_700_000_000_000
  const CASES: Array<[string, LogFilter, string]> = [
    ['no filter', {}, 'request_logs_time_index'],
    ['client key', { apiKeyId: 3 }, 'request_logs_api_key_id_time_index'],
    ['no client key', { apiKeyId: 0 }, 'request_logs_api_key_id_time_index'],
    ['channel', { channelId: 3 }, 'request_logs_channel_id_time_index'],
    ['requested model', { model: 'smart' }, 'request_logs_requested_model_time_index'],
    ['upstream model', { upstreamModel: 'gpt-4.1' }, 'request_logs_upstream_model_time'],
    ['errors', { status: 'error' }, 'request_logs_failed_time'],
    ['one failure status', { status: 502 }, 'request_logs_failed_time'],
    ['request id', { requestId: 'r' }, 'request_logs_request_id_unique'],
    ['time window', { from: T, to: T + 1 }, 'request_logs_time_index'],
    ['errors in a time window', { status: 'error', from: T, to: T + 1 }, 'request_logs_failed_time'],
    ['key in a time window', { apiKeyId: 3, from: T, to: T + 1 }, 'request_logs_api_key_id_time_index'],
    ['model and errors', { model: 'smart', status: 'error' }, 'request_logs_requested_model_time_index'],
    ['channel and model', { channelId: 3, model: 'smart' }, 'request_logs_channel_id_time_index']
  ]

  it.each(CASES)('%s', async (_label, filter, index) => {
    for (const cursor of [null, { time: T, id: 42 }]) {
      const { sql, bindings } = pageQuery(db.knex, filter, cursor, 51).toSQL()
      const plan = ((await db.knex.raw(`EXPLAIN QUERY PLAN ${sql}`, [...bindings])) as Array<{ detail: string }>).map(r => r.detail).join(' | ')
      expect(plan).toContain(`USING INDEX ${index}`)
      // A temporary B-tree would mean sorting every match before the first page.
      expect(plan).not.toContain('TEMP B-TREE')
    }
  })
})
