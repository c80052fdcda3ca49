import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { UsageCounters } from '@shared/dto/analytics'
import { fixedClock, testSecretBox } from '../testing/factories'
import { createTestDatabase, testDatabaseClients, type TestDatabase } from '../testing/test-db'
import { ANALYTICS_NOW, at, ODD_GROUP, seedUsageFixture } from '../testing/usage-fixture'
import { migrate } from '../store/migrate'
import { createRepositories } from '../store/repositories'
import { resolveWindow, type WindowQuery } from './stats-window'
import { UsageAnalytics } from './usage-analytics'
import { seriesCsv } from './usage-csv'
import { namesFrom } from './usage-labels'

/** Counters in the order the CSV prints them: requests, failures, input, output, cache read, cache write, cost, unpriced, mean latency. */
function c(...v: [number, number, number, number, number, number, number, number, number | null]): UsageCounters {
  const [requests, failures, inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, cost, unpricedRequests, avgLatencyMs] = v
  return { requests, failures, inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, cost, unpricedRequests, avgLatencyMs }
}
const ZERO = c(0, 0, 0, 0, 0, 0, 0, 0, null)

/** Nov 13 00:00Z to Nov 15 01:00Z: every fixture row but R0, R8 (23:00Z) included. */
const TWO_DAYS = { from: at('2023-11-13T00:00:00Z'), to: at('2023-11-15T01:00:00Z') }

describe.each(testDatabaseClients())('UsageAnalytics on %s', client => {
  let db: TestDatabase
  let analytics: UsageAnalytics
  const window = (query: Partial<WindowQuery>) => resolveWindow({ tz: 0, ...query }, ANALYTICS_NOW)

  beforeAll(async () => {
    db = await createTestDatabase(client)
    await migrate(db.knex, null, fixedClock)
    const repos = createRepositories(db.knex, testSecretBox(), fixedClock)
    await seedUsageFixture(repos)
    analytics = new UsageAnalytics(db.knex, namesFrom(repos))
  })

  afterAll(async () => {
    await db?.destroy()
  })

  describe('summary', () => {
    it('sums today at UTC: R3-R7b, not R8 after the current hour', async () => {
      expect(await analytics.summary(window({ range: 'today' }))).toEqual({
        from: at('2023-11-14T00:00:00Z'),
        to: at('2023-11-14T23:00:00Z'),
        ...c(27, 6, 7700, 1660, 1000, 300, 4, 2, 19530 / 27),
        successes: 21,
        successRate: 21 / 27,
        avgFirstTokenMs: 5100 / 19
      })
    })

    it('starts today at local midnight: 22:00Z at UTC+2 (R7, R7b), 05:00Z at UTC-5 (R5-R7b)', async () => {
      expect(await analytics.summary(window({ range: 'today', tz: 120 }))).toEqual({
        from: at('2023-11-14T22:00:00Z'),
        to: at('2023-11-14T23:00:00Z'),
        ...c(16, 2, 2600, 560, 1000, 300, 2.875, 0, 13800 / 16),
        successes: 14,
        successRate: 14 / 16,
        avgFirstTokenMs: 3600 / 14
      })
      expect(await analytics.summary(window({ range: 'today', tz: -300 }))).toEqual({
        from: at('2023-11-14T05:00:00Z'),
        to: at('2023-11-14T23:00:00Z'),
        ...c(23, 2, 7700, 1660, 1000, 300, 4, 2, 19400 / 23),
        successes: 21,
        successRate: 21 / 23,
        avgFirstTokenMs: 5100 / 19
      })
    })

    it('covers the last 7 and 30 local days, and an explicit window', async () => {
      const seven = await analytics.summary(window({ range: '7d' }))
      expect(seven).toMatchObject({ from: at('2023-11-08T00:00:00Z'), ...c(33, 7, 9000, 1960, 1050, 310, 4.75, 2, 22430 / 33), avgFirstTokenMs: 5500 / 21 })
      const thirty = await analytics.summary(window({ range: '30d' }))
      expect(thirty).toMatchObject({ from: at('2023-10-16T00:00:00Z'), ...c(40, 7, 9700, 2030, 1050, 310, 5.5, 2, 23830 / 40), avgFirstTokenMs: 6200 / 28 })
      const all = await analytics.summary(window({ from: at('2023-11-01T00:00:00Z'), to: at('2023-12-01T00:00:00Z') }))
      expect(all).toMatchObject({ ...c(41, 7, 9710, 2040, 1050, 310, 5.515625, 2, 24080 / 41), successes: 34, avgFirstTokenMs: 6300 / 29 })
    })

    it('answers zeros and nulls for a window without traffic', async () => {
      const from = at('2020-01-01T00:00:00Z')
      expect(await analytics.summary(window({ from, to: from + 3_600_000 }))).toEqual({
        from,
        to: from + 3_600_000,
        ...ZERO,
        successes: 0,
        successRate: null,
        avgFirstTokenMs: null
      })
    })
  })

  describe('series', () => {
    const options = { bucket: 'day', groupBy: 'none', metric: 'requests', limit: 10 } as const

    it('buckets days at UTC+2 from 22:00Z: R1 | R2-R6 | R7-R8', async () => {
      const { series, bucket, tz } = await analytics.series(window({ ...TWO_DAYS, tz: 120 }), options)
      expect([bucket, tz]).toEqual(['day', 120])
      expect(series).toEqual([
        {
          key: 'all',
          label: 'all',
          points: [
            { t: at('2023-11-12T22:00:00Z'), ...c(4, 1, 1000, 200, 50, 10, 0.5, 0, 500) },
            { t: at('2023-11-13T22:00:00Z'), ...c(13, 4, 5400, 1200, 0, 0, 1.375, 2, 510) },
            { t: at('2023-11-14T22:00:00Z'), ...c(17, 2, 2610, 570, 1000, 300, 2.890625, 0, 14050 / 17) }
          ]
        }
      ])
    })

    it('buckets days at UTC-5 from 05:00Z, with an empty first day: - | R1-R4 | R5-R8', async () => {
      const { series } = await analytics.series(window({ ...TWO_DAYS, tz: -300 }), options)
      expect(series.map(s => s.points)).toEqual([
        [
          { t: at('2023-11-12T05:00:00Z'), ...ZERO },
          { t: at('2023-11-13T05:00:00Z'), ...c(10, 5, 1300, 300, 50, 10, 0.75, 0, 303) },
          { t: at('2023-11-14T05:00:00Z'), ...c(24, 2, 7710, 1670, 1000, 300, 4.015625, 2, 818.75) }
        ]
      ])
    })

    it('buckets UTC days with a trailing empty day', async () => {
      const { series } = await analytics.series(window(TWO_DAYS), options)
      expect(series[0]?.points.map(p => [p.t, p.requests])).toEqual([
        [at('2023-11-13T00:00:00Z'), 6],
        [at('2023-11-14T00:00:00Z'), 28],
        [at('2023-11-15T00:00:00Z'), 0]
      ])
    })

    it('keeps hours on UTC hours at UTC+5:30, ranks channels and sums the rest into "other"', async () => {
      const hours = window({ from: at('2023-11-14T03:00:00Z'), to: at('2023-11-14T07:00:00Z'), tz: 330 })
      const { series } = await analytics.series(hours, { bucket: 'hour', groupBy: 'channel', metric: 'requests', limit: 2 })
      const t = ['03', '04', '05', '06'].map(h => at(`2023-11-14T${h}:00:00Z`))
      expect(series.map(s => [s.key, s.label, s.points.map(p => p.requests)])).toEqual([
        ['1', 'primary', [0, 0, 5, 0]],
        ['0', 'no channel', [0, 3, 0, 0]],
        [null, 'other', [1, 0, 0, 0]]
      ])
      for (const s of series) expect(s.points.map(p => p.t)).toEqual(t)
      expect(series[2]?.points[0]).toEqual({ t: t[0], ...c(1, 1, 0, 0, 0, 0, 0, 0, 100) })
    })

    it('splits by group, model and client key, ranked by cost or tokens', async () => {
      const byGroup = await analytics.series(window(TWO_DAYS), { ...options, groupBy: 'group', metric: 'cost' })
      expect(byGroup.series.map(s => [s.key, s.points.map(p => p.cost)])).toEqual([
        ['smart', [0.75, 4, 0]],
        ['cheap', [0, 0.015625, 0]],
        [ODD_GROUP, [0, 0, 0]]
      ])
      const byModel = await analytics.series(window(TWO_DAYS), { ...options, groupBy: 'model', metric: 'tokens' })
      expect(byModel.series.map(s => [s.label, s.points.map(p => p.requests)])).toEqual([
        ['gpt-4.1', [4, 15, 0]],
        ['claude-x', [2, 8, 0]],
        ['mystery', [0, 2, 0]],
        ['no model', [0, 3, 0]]
      ])
      const byKey = await analytics.series(window(TWO_DAYS), { ...options, groupBy: 'apiKey' })
      expect(byKey.series.map(s => [s.key, s.label, s.points.map(p => p.requests)])).toEqual([
        ['1', 'laptop', [4, 20, 0]],
        ['2', 'ci', [2, 6, 0]],
        ['3', 'key 3 (deleted)', [0, 2, 0]]
      ])
    })

    it('has no points for a window no hour starts in', async () => {
      const from = at('2023-11-14T10:15:00Z')
      const { series } = await analytics.series(window({ from, to: from + 1_800_000 }), { ...options, bucket: 'hour' })
      expect(series).toEqual([{ key: 'all', label: 'all', points: [] }])
    })
  })

  describe('top', () => {
    const all = { from: at('2023-11-01T00:00:00Z'), to: at('2023-12-01T00:00:00Z') }

    it('ranks groups by requests', async () => {
      const top = await analytics.top(window(all), 'group', 'requests', 10)
      expect(top.rows.map(r => [r.key, r.label, r.requests])).toEqual([
        ['smart', 'smart', 34],
        ['cheap', 'cheap', 6],
        [ODD_GROUP, ODD_GROUP, 1]
      ])
      expect(top.rows[0]).toEqual({ key: 'smart', label: 'smart', ...c(34, 3, 9600, 1930, 1050, 310, 5.5, 0, 23100 / 34), cacheReadShare: 1050 / (9600 + 1050 + 310) })
    })

    it('ranks models by cost, ties by key', async () => {
      const top = await analytics.top(window(all), 'model', 'cost', 10)
      expect(top.rows.map(r => [r.key, r.label, r.cost])).toEqual([
        ['gpt-4.1', 'gpt-4.1', 4.875],
        ['claude-x', 'claude-x', 0.640625],
        ['', 'no model', 0],
        ['mystery', 'mystery', 0]
      ])
    })

    it('ranks channels by tokens and keys by requests, cut at the limit', async () => {
      const channels = await analytics.top(window(all), 'channel', 'tokens', 10)
      expect(channels.rows.map(r => [r.key, r.label, r.inputTokens + r.outputTokens + r.cacheReadTokens + r.cacheWriteTokens])).toEqual([
        ['1', 'primary', 11730],
        ['2', 'backup, "eu"', 1380],
        ['0', 'no channel', 0]
      ])
      // The dashboard's cache-read share: read / (input + read + write); null for the row without prompt tokens.
      expect(channels.rows.map(r => [r.key, r.cacheReadShare])).toEqual([
        ['1', 1050 / (8800 + 1050 + 10)],
        ['2', 0],
        ['0', null]
      ])
      const keys = await analytics.top(window(all), 'apiKey', 'requests', 2)
      expect(keys).toMatchObject({ by: 'apiKey', order: 'requests', from: all.from, to: all.to })
      expect(keys.rows.map(r => [r.key, r.label, r.requests])).toEqual([
        ['1', 'laptop', 31],
        ['2', 'ci', 8]
      ])
    })
  })

  it('renders the same CSV text: days at UTC+2 by channel, labels quoted', async () => {
    const data = await analytics.series(window({ ...TWO_DAYS, tz: 120 }), { bucket: 'day', groupBy: 'channel', metric: 'requests', limit: 10 })
    expect(seriesCsv(data)).toBe(
      [
        'time_iso,key,label,requests,failures,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,cost,unpriced_requests,avg_latency_ms',
        '2023-11-13T00:00:00+02:00,1,primary,4,1,1000,200,50,10,0.5,0,500',
        '2023-11-13T00:00:00+02:00,2,"backup, ""eu""",0,0,0,0,0,0,0,0,',
        '2023-11-13T00:00:00+02:00,0,no channel,0,0,0,0,0,0,0,0,',
        '2023-11-14T00:00:00+02:00,1,primary,7,0,5100,1100,0,0,1.125,2,800',
        '2023-11-14T00:00:00+02:00,2,"backup, ""eu""",3,1,300,100,0,0,0.25,0,333.333333333',
        '2023-11-14T00:00:00+02:00,0,no channel,3,3,0,0,0,0,0,0,10',
        '2023-11-15T00:00:00+02:00,1,primary,10,2,2000,500,1000,0,2.5,0,1200',
        '2023-11-15T00:00:00+02:00,2,"backup, ""eu""",7,0,610,70,0,300,0.390625,0,292.857142857',
        '2023-11-15T00:00:00+02:00,0,no channel,0,0,0,0,0,0,0,0,',
        ''
      ].join('\r\n')
    )
  })
})
