import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, testDatabaseClients, type TestDatabase } from '../../testing/test-db'
import { RateCountRepository } from '../repositories/rate-count.repository'
import { rateCounts } from './20261212A-rate-counts'
import { MIGRATIONS } from '.'

const SECOND = 1_700_000_000

describe.each(testDatabaseClients())('migration 20261212A on %s', client => {
  let db: TestDatabase
  beforeEach(async () => {
    db = await createTestDatabase(client)
  })
  afterEach(async () => {
    await db.destroy()
  })

  it('stores per-second rate counts that several pushes add up, read from a second on and pruned by age', async () => {
    for (const migration of MIGRATIONS) await migration.up(db.knex)
    const counts = new RateCountRepository(db.knex)
    await counts.add([
      { apiKeyId: 1, kind: 'r', second: SECOND, count: 3 },
      { apiKeyId: 1, kind: 't', second: SECOND, count: 900 },
      { apiKeyId: 2, kind: 'r', second: SECOND - 200, count: 1 }
    ])
    // Another instance's push to the same seconds adds to them.
    await counts.add([
      { apiKeyId: 1, kind: 'r', second: SECOND, count: 2 },
      { apiKeyId: 1, kind: 'r', second: SECOND + 1, count: 4 }
    ])
    expect(await counts.since([1, 2], SECOND)).toEqual(
      expect.arrayContaining([
        { apiKeyId: 1, kind: 'r', second: SECOND, count: 5 },
        { apiKeyId: 1, kind: 't', second: SECOND, count: 900 },
        { apiKeyId: 1, kind: 'r', second: SECOND + 1, count: 4 }
      ])
    )
    expect(await counts.since([1, 2], SECOND)).toHaveLength(3)
    expect(await counts.since([2], SECOND - 300)).toEqual([{ apiKeyId: 2, kind: 'r', second: SECOND - 200, count: 1 }])

    expect(await counts.prune(SECOND - 120, 100)).toBe(1)
    expect(await counts.since([1, 2], 0)).toHaveLength(3)
    expect(await counts.prune(SECOND - 120, 100)).toBe(0)
  })

  it('deletes a backlog in bounded batches, oldest seconds first', async () => {
    for (const migration of MIGRATIONS) await migration.up(db.knex)
    const counts = new RateCountRepository(db.knex)
    await counts.add(Array.from({ length: 30 }, (_, i) => ({ apiKeyId: 1 + (i % 3), kind: 'r' as const, second: SECOND - 300 + Math.floor(i / 3), count: 1 })))
    // 10 seconds of 3 rows: a batch of 4 reaches into the second second and takes all of it.
    expect(await counts.prune(SECOND, 4)).toBe(6)
    expect(Math.min(...(await counts.since([1, 2, 3], 0)).map(row => row.second))).toBe(SECOND - 298)
    expect(await counts.prune(SECOND, 100)).toBe(24)
  })

  it('rolls back', async () => {
    for (const migration of MIGRATIONS.slice(0, MIGRATIONS.indexOf(rateCounts) + 1)) await migration.up(db.knex)
    await rateCounts.down(db.knex)
    expect(await db.knex.schema.hasTable('rate_counts')).toBe(false)
  })
})
