import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixedClock, usageDelta } from '../../testing/factories'
import { createTestDatabase, testDatabaseClients, type TestDatabase } from '../../testing/test-db'
import { migrate } from '../migrate'
import { UsageRepository } from '../repositories/usage.repository'
import { dialectFor } from '.'

const HOUR = 3_600_000
const DAY = 86_400_000

/**
 * Row times (the `hour` column is a plain epoch-ms integer; F is deliberately not on the hour).
 * Expected buckets below are worked out by hand from the UTC wall-clock times.
 */
const A = 1_699_920_000_000 // 2023-11-14T00:00:00Z
const B = 1_699_999_200_000 // 2023-11-14T22:00:00Z
const C = 1_700_002_800_000 // 2023-11-14T23:00:00Z
const D = 1_700_006_400_000 // 2023-11-15T00:00:00Z
const E = 1_699_898_400_000 // 2023-11-13T18:00:00Z
const F = 1_700_000_000_000 // 2023-11-14T22:13:20Z
const TIMES = [E, A, B, F, C, D] // ascending

interface Case {
  name: string
  bucketMs: number
  offsetMs: number
  expected: number[] // bucket of E, A, B, F, C, D
}

const CASES: Case[] = [
  // Whole-hour offsets do not move hourly buckets; F floors to 22:00Z.
  { name: 'hourly, UTC', bucketMs: HOUR, offsetMs: 0, expected: [E, A, B, B, C, D] },
  { name: 'hourly, UTC+8', bucketMs: HOUR, offsetMs: 28_800_000, expected: [E, A, B, B, C, D] },
  { name: 'hourly, UTC-5', bucketMs: HOUR, offsetMs: -18_000_000, expected: [E, A, B, B, C, D] },
  // UTC+5:30: local hours start at hh:30Z, so every row moves back half an hour; F (22:13Z) goes to 21:30Z.
  {
    name: 'hourly, UTC+5:30',
    bucketMs: HOUR,
    offsetMs: 19_800_000,
    expected: [1_699_896_600_000, 1_699_918_200_000, 1_699_997_400_000, 1_699_997_400_000, 1_700_001_000_000, 1_700_004_600_000]
  },
  // UTC days: Nov 13 00:00Z = 1_699_833_600_000, Nov 14 00:00Z = A, Nov 15 00:00Z = D.
  { name: 'daily, UTC', bucketMs: DAY, offsetMs: 0, expected: [1_699_833_600_000, A, A, A, A, D] },
  // UTC+8 days start at 16:00Z the day before: Nov 14 local = Nov 13 16:00Z, Nov 15 local = Nov 14 16:00Z.
  {
    name: 'daily, UTC+8',
    bucketMs: DAY,
    offsetMs: 28_800_000,
    expected: [1_699_891_200_000, 1_699_891_200_000, 1_699_977_600_000, 1_699_977_600_000, 1_699_977_600_000, 1_699_977_600_000]
  },
  // UTC-5 days start at 05:00Z: E (13:00 local Nov 13) and A (19:00 local Nov 13) share Nov 13 05:00Z;
  // B, F, C and D are 17:00-19:00 local on Nov 14, so Nov 14 05:00Z.
  {
    name: 'daily, UTC-5',
    bucketMs: DAY,
    offsetMs: -18_000_000,
    expected: [1_699_851_600_000, 1_699_851_600_000, 1_699_938_000_000, 1_699_938_000_000, 1_699_938_000_000, 1_699_938_000_000]
  }
]

describe.each(testDatabaseClients())('timeBucket on %s', client => {
  let db: TestDatabase

  beforeAll(async () => {
    db = await createTestDatabase(client)
    await migrate(db.knex, null, fixedClock)
    await new UsageRepository(db.knex).add(TIMES.map((hour, i) => usageDelta({ hour, requests: 10 ** i })))
  })

  afterAll(async () => {
    await db?.destroy()
  })

  it.each(CASES)('gives the hand-computed buckets: $name', async ({ bucketMs, offsetMs, expected }) => {
    const { knex } = db
    const rows = (await knex('usage_hourly')
      .select('hour', knex.raw('? as ??', [dialectFor(knex).timeBucket(knex, 'hour', bucketMs, offsetMs), 'bucket']))
      .orderBy('hour')) as Array<{ hour: unknown; bucket: unknown }>
    expect(rows.map(r => Number(r.hour))).toEqual(TIMES)
    const buckets = rows.map(r => r.bucket)
    // Integer arithmetic only: a REAL division would leave fractions (or the wrong type) behind.
    for (const bucket of buckets) expect(Number.isSafeInteger(Number(bucket))).toBe(true)
    expect(buckets.map(Number)).toEqual(expected)
  })

  it('groups rows by local day (UTC+8) with summed counters', async () => {
    const { knex } = db
    const bucket = dialectFor(knex).timeBucket(knex, 'hour', DAY, 28_800_000)
    const rows = (await knex
      .from(knex('usage_hourly').select(knex.raw('? as ??', [bucket, 'day']), 'requests').as('t'))
      .select('day')
      .sum({ requests: 'requests' })
      .groupBy('day')
      .orderBy('day')) as Array<{ day: unknown; requests: unknown }>
    // requests are 10^i for E, A, B, F, C, D: E+A = 11, B+F+C+D = 111100.
    expect(rows.map(r => [Number(r.day), Number(r.requests)])).toEqual([
      [1_699_891_200_000, 11],
      [1_699_977_600_000, 111_100]
    ])
  })
})
