import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixedClock, usageDelta } from '../../testing/factories'
import { createTestDatabase, testDatabaseClients, type TestDatabase } from '../../testing/test-db'
import { migrate } from '../migrate'
import { UsageRepository, type UsageDelta } from './usage.repository'

const HOUR = 3_600_000
/** 2023-11-14T22:00:00Z. */
const H0 = 1_699_999_200_000

describe.each(testDatabaseClients())('UsageRepository on %s', client => {
  let db: TestDatabase
  let usage: UsageRepository

  beforeAll(async () => {
    db = await createTestDatabase(client)
    await migrate(db.knex, null, fixedClock)
    usage = new UsageRepository(db.knex)
  })

  afterAll(async () => {
    await db?.destroy()
  })

  /** The stored rows of one hour. */
  const rowsAt = async (hour: number): Promise<UsageDelta[]> => (await usage.since(hour)).filter(r => r.hour === hour)

  it('inserts a new key as is', async () => {
    const delta = usageDelta({ hour: H0, model: 'fresh', requests: 3, failures: 1, inputTokens: 42, cost: 0.5 })
    await usage.add([delta])
    expect(await rowsAt(H0)).toEqual([delta])
  })

  it('adds every counter of the same key exactly', async () => {
    const hour = H0 + HOUR
    const key = { hour, apiKeyId: 4, channelId: 9, model: 'sum', upstreamModel: 'sum-upstream' }
    await usage.add([
      usageDelta({
        ...key,
        requests: 1,
        failures: 0,
        inputTokens: 3_000_000_000,
        outputTokens: 100,
        cacheReadTokens: 7,
        cacheWriteTokens: 11,
        cost: 0.1,
        unpricedRequests: 1,
        latencyMsSum: 1_500,
        firstTokenMsSum: 300,
        firstTokenCount: 1
      })
    ])
    await usage.add([
      usageDelta({
        ...key,
        requests: 2,
        failures: 1,
        inputTokens: 3_000_000_000,
        outputTokens: 4_500_000_000,
        cacheReadTokens: 13,
        cacheWriteTokens: 0,
        cost: 0.2,
        latencyMsSum: 2_500,
        firstTokenMsSum: 0,
        firstTokenCount: 0
      })
    ])
    const rows = await rowsAt(hour)
    expect(rows).toHaveLength(1)
    const [row] = rows
    expect(row).toBeDefined()
    const { cost, ...counters } = row as UsageDelta
    expect(counters).toEqual({
      ...key,
      requests: 3,
      failures: 1,
      inputTokens: 6_000_000_000,
      outputTokens: 4_500_000_100,
      cacheReadTokens: 20,
      cacheWriteTokens: 11,
      unpricedRequests: 1,
      latencyMsSum: 4_000,
      firstTokenMsSum: 300,
      firstTokenCount: 1
    })
    expect(typeof cost).toBe('number')
    expect(Math.abs(cost - 0.3)).toBeLessThan(1e-9)
  })

  it('keeps different keys in separate rows', async () => {
    const hour = H0 + 2 * HOUR
    const base = { hour, apiKeyId: 1, channelId: 1, model: 'm', requests: 1 }
    await usage.add([
      usageDelta(base),
      usageDelta({ ...base, apiKeyId: 2 }),
      usageDelta({ ...base, channelId: 2 }),
      usageDelta({ ...base, model: 'm2' }),
      usageDelta({ ...base, hour: hour + HOUR })
    ])
    await usage.add([usageDelta({ ...base, requests: 10 }), usageDelta({ ...base, apiKeyId: 0, channelId: 0 })])
    const rows = await rowsAt(hour)
    expect(rows.map(r => [r.apiKeyId, r.channelId, r.model, r.requests])).toEqual([
      [0, 0, 'm', 1],
      [1, 1, 'm', 11],
      [1, 1, 'm2', 1],
      [1, 2, 'm', 1],
      [2, 1, 'm', 1]
    ])
    expect((await rowsAt(hour + HOUR)).map(r => r.requests)).toEqual([1])
  })

  it('sums two rows with the same key inside one call on every engine', async () => {
    const hour = H0 + 10 * HOUR
    const d = usageDelta({ hour, model: 'twice', requests: 1, cost: 0.25 })
    await usage.add([d, d])
    expect((await rowsAt(hour)).map(r => [r.requests, r.cost])).toEqual([[2, 0.5]])
  })

  // MySQL/MariaDB would compare these case-insensitively without the binary collation the
  // migration sets. (Trailing spaces still compare equal there, but model names cannot have spaces.)
  it('keeps models that differ only in case apart', async () => {
    const hour = H0 + 30 * HOUR
    await usage.add([usageDelta({ hour, model: 'gpt-4', requests: 1 })])
    await usage.add([usageDelta({ hour, model: 'GPT-4', requests: 2 })])
    const rows = await rowsAt(hour)
    expect(new Map(rows.map(r => [r.model, r.requests]))).toEqual(new Map([['gpt-4', 1], ['GPT-4', 2]]))
  })

  it('returns rows since an hour, in key order', async () => {
    const all = await usage.since(0)
    expect(all.map(r => r.hour)).toEqual([...all.map(r => r.hour)].sort((a, b) => a - b))
    expect((await usage.since(H0 + 2 * HOUR)).every(r => r.hour >= H0 + 2 * HOUR)).toBe(true)
    expect(await usage.since(H0 + 1_000 * HOUR)).toEqual([])
  })

  it('sums cost per client key from an hour on, leaving out requests without a key', async () => {
    const hour = H0 + 500 * HOUR
    await usage.add([
      usageDelta({ hour: hour - HOUR, apiKeyId: 71, model: 'before', cost: 100 }),
      usageDelta({ hour, apiKeyId: 71, channelId: 1, model: 'a', cost: 0.25 }),
      usageDelta({ hour: hour + 5 * HOUR, apiKeyId: 71, channelId: 2, model: 'b', cost: 0.5 }),
      usageDelta({ hour, apiKeyId: 72, model: 'a', cost: 2 }),
      usageDelta({ hour, apiKeyId: 0, model: 'a', cost: 9 })
    ])
    const totals = await usage.costByApiKeySince(hour)
    expect([...totals.keys()].sort((a, b) => a - b)).toEqual([71, 72])
    expect(totals.get(71)).toBeCloseTo(0.75, 12)
    expect(totals.get(72)).toBe(2)
    expect(await usage.costByApiKeySince(hour + 1_000 * HOUR)).toEqual(new Map())
  })

  it('ignores an empty batch', async () => {
    const before = await usage.since(0)
    await usage.add([])
    expect(await usage.since(0)).toEqual(before)
  })

  it('counts both of two concurrent adds on the same key', async () => {
    const hour = H0 + 20 * HOUR
    const d = usageDelta({ hour, model: 'race', requests: 1, inputTokens: 5, cost: 0.1 })
    await Promise.all([usage.add([d]), usage.add([{ ...d, requests: 2, inputTokens: 7, cost: 0.2 }])])
    const rows = await rowsAt(hour)
    expect(rows.map(r => [r.requests, r.inputTokens])).toEqual([[3, 12]])
    expect(Math.abs((rows[0]?.cost ?? 0) - 0.3)).toBeLessThan(1e-9)
  })

  it('counts every one of many concurrent adds on the same key', async () => {
    const hour = H0 + 21 * HOUR
    const d = usageDelta({ hour, model: 'storm', requests: 1, outputTokens: 1_000_000_000 })
    await Promise.all(Array.from({ length: 20 }, () => usage.add([d])))
    expect((await rowsAt(hour)).map(r => [r.requests, r.outputTokens])).toEqual([[20, 20_000_000_000]])
  })
})
