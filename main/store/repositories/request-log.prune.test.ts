import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { fixedClock, FIXED_NOW, requestLogEntry } from '../../testing/factories'
import { createTestDatabase, testDatabaseClients, type TestDatabase } from '../../testing/test-db'
import { migrate } from '../migrate'
import { RequestLogRepository } from './request-log.repository'

/** `count` rows, one second apart from FIXED_NOW, inserted oldest first (so ids follow time). */
async function seed(logs: RequestLogRepository, count: number): Promise<void> {
  await logs.insertMany(Array.from({ length: count }, (_, i) => requestLogEntry(i)))
}

describe.each(testDatabaseClients())('RequestLogRepository.deleteOldest on %s', client => {
  let db: TestDatabase
  let logs: RequestLogRepository

  /** Request ids left, oldest first. */
  const remaining = async (): Promise<string[]> => (await logs.list(10_000)).map(r => r.requestId).reverse()

  beforeAll(async () => {
    db = await createTestDatabase(client)
    await migrate(db.knex, null, fixedClock)
    logs = new RequestLogRepository(db.knex)
  })

  beforeEach(async () => {
    await db.knex('request_logs').delete()
  })

  afterAll(async () => {
    await db?.destroy()
  })

  it('deletes nothing from an empty table', async () => {
    expect(await logs.deleteOldest({ before: FIXED_NOW + 1e9, keep: 0, batch: 10 })).toBe(0)
  })

  it('deletes rows older than the cutoff, at most one batch at a time, oldest first', async () => {
    await seed(logs, 30)
    // Rows 0..24 are older than FIXED_NOW + 25 s.
    const before = FIXED_NOW + 25_000
    expect(await logs.deleteOldest({ before, keep: 1000, batch: 10 })).toBe(10)
    expect((await remaining())[0]).toBe('req-000010')
    expect(await logs.deleteOldest({ before, keep: 1000, batch: 10 })).toBe(10)
    expect(await logs.deleteOldest({ before, keep: 1000, batch: 10 })).toBe(5)
    expect(await logs.deleteOldest({ before, keep: 1000, batch: 10 })).toBe(0)
    expect(await remaining()).toEqual(['req-000025', 'req-000026', 'req-000027', 'req-000028', 'req-000029'])
  })

  it('keeps only the newest rows, deleting the oldest in batches', async () => {
    await seed(logs, 30)
    const opts = { before: 0, keep: 8, batch: 7 }
    expect(await logs.deleteOldest(opts)).toBe(7)
    expect(await logs.count()).toBe(23)
    expect(await logs.deleteOldest(opts)).toBe(7)
    expect(await logs.deleteOldest(opts)).toBe(7)
    expect(await logs.deleteOldest(opts)).toBe(1)
    expect(await logs.deleteOldest(opts)).toBe(0)
    expect(await remaining()).toEqual(Array.from({ length: 8 }, (_, i) => requestLogEntry(22 + i).requestId))
  })

  it('applies both limits in one batch without going over it', async () => {
    await seed(logs, 30)
    // 5 rows too old, then 30 - 5 - 20 = 5 more beyond the newest 20: 10 in all, batch 8.
    const opts = { before: FIXED_NOW + 5_000, keep: 20, batch: 8 }
    expect(await logs.deleteOldest(opts)).toBe(8)
    expect(await logs.deleteOldest(opts)).toBe(2)
    expect(await logs.deleteOldest(opts)).toBe(0)
    expect((await remaining())[0]).toBe('req-000010')
    expect(await logs.count()).toBe(20)
  })

  it('only deletes by time rows that are old, even when ids and times interleave', async () => {
    // Another instance flushed late: an old row got a higher id than newer ones.
    await logs.insertMany([requestLogEntry(10), requestLogEntry(11), requestLogEntry(1), requestLogEntry(12)])
    expect(await logs.deleteOldest({ before: FIXED_NOW + 5_000, keep: 1000, batch: 10 })).toBe(1)
    expect(await remaining()).toEqual(['req-000010', 'req-000011', 'req-000012'])
  })
})
