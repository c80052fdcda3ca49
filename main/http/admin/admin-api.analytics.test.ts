import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { StatsSeriesSchema, StatsSummarySchema, StatsTopSchema } from '@shared/dto/analytics'
import { RequestLogPageSchema } from '@shared/dto/log-query'
import { RequestLogSchema } from '@shared/dto/request-log'
import { adminCall, adminErrorOf } from '../../testing/admin-client'
import { FIXED_NOW, requestLogEntry } from '../../testing/factories'
import { startTestCore, type TestCore } from '../../testing/test-core'
import { createTestDatabase, type TestDatabase } from '../../testing/test-db'
import { at, ODD_GROUP, seedUsageFixture } from '../../testing/usage-fixture'

const HOUR = 3_600_000
const DAY = 86_400_000
/** Every fixture row but R0. */
const TWO_DAYS = `from=${at('2023-11-13T00:00:00Z')}&to=${at('2023-11-15T01:00:00Z')}`

let db: TestDatabase
let cuttle: TestCore
let token: string

beforeAll(async () => {
  db = await createTestDatabase('sqlite')
  cuttle = await startTestCore(db)
  token = await cuttle.login()
  await seedUsageFixture(cuttle.core.repos)
  // Twelve requests one second apart; every third failed, the last one on another channel.
  await cuttle.core.repos.requestLogs.insertMany(
    Array.from({ length: 12 }, (_, i) => requestLogEntry(i, { status: i % 3 === 2 ? 502 : 200, channelId: i === 11 ? 4 : 3 }))
  )
})

afterAll(async () => {
  await cuttle.stop()
  await db.destroy()
})

const get = (path: string) => adminCall(cuttle.url, 'GET', path, { token })

describe('stats endpoints', () => {
  it('need the admin token', async () => {
    for (const path of ['/stats/summary', '/stats/series', '/stats/top?by=group', '/logs', '/logs/1']) {
      expect(adminErrorOf(await adminCall(cuttle.url, 'GET', path), 401).code).toBe('unauthorized')
    }
  })

  it('sum an explicit window', async () => {
    const reply = await get(`/stats/summary?from=${at('2023-11-01T00:00:00Z')}&to=${at('2023-12-01T00:00:00Z')}`)
    expect(reply.status, reply.text).toBe(200)
    expect(StatsSummarySchema.parse(reply.json)).toMatchObject({ requests: 41, failures: 7, successes: 34, successRate: 34 / 41, cost: 5.515625, unpricedRequests: 2 })
  })

  it('start a range at the local midnight of tz and end it after the current hour', async () => {
    const before = Date.now()
    const reply = await get('/stats/summary?range=7d&tz=-300')
    const { from, to } = StatsSummarySchema.parse(reply.json)
    expect((from - 5 * HOUR) % DAY).toBe(0)
    expect(to % HOUR).toBe(0)
    expect(to).toBeGreaterThan(before)
    expect(to - from).toBeGreaterThan(6 * DAY)
    expect(to - from).toBeLessThanOrEqual(7 * DAY + HOUR)
  })

  it('reject contradicting or out-of-range queries, naming the field', async () => {
    const cases: Array<[string, string]> = [
      [`/stats/summary?range=today&${TWO_DAYS}`, 'range'],
      [`/stats/summary?from=${at('2023-11-13T00:00:00Z')}`, 'to'],
      [`/stats/summary?from=10&to=5`, 'to'],
      ['/stats/summary?range=year', 'range'],
      ['/stats/summary?tz=900', 'tz'],
      [`/stats/series?from=0&to=${400 * DAY}&bucket=hour`, 'bucket'],
      ['/stats/series?groupBy=region', 'groupBy'],
      ['/stats/top', 'by'],
      ['/stats/top?by=model&limit=0', 'limit']
    ]
    for (const [path, field] of cases) {
      const error = adminErrorOf(await get(path), 400)
      expect(error.code, path).toBe('validation_failed')
      expect(error.fields?.map(f => f.path), path).toContain(field)
    }
  })

  it('serve series by group at UTC-5 with the bucket chosen by the window', async () => {
    const reply = await get(`/stats/series?${TWO_DAYS}&tz=-300&groupBy=group&metric=cost&limit=1`)
    expect(reply.status, reply.text).toBe(200)
    const body = StatsSeriesSchema.parse(reply.json)
    expect(body).toMatchObject({ bucket: 'day', groupBy: 'group', tz: -300 })
    expect(body.series.map(s => [s.key, s.points.map(p => [p.t, p.requests])])).toEqual([
      ['smart', [[at('2023-11-12T05:00:00Z'), 0], [at('2023-11-13T05:00:00Z'), 6], [at('2023-11-14T05:00:00Z'), 21]]],
      [null, [[at('2023-11-12T05:00:00Z'), 0], [at('2023-11-13T05:00:00Z'), 4], [at('2023-11-14T05:00:00Z'), 3]]]
    ])
    const hourly = StatsSeriesSchema.parse((await get(`/stats/series?from=${at('2023-11-14T20:00:00Z')}&to=${at('2023-11-14T23:00:00Z')}`)).json)
    expect(hourly.bucket).toBe('hour')
    expect(hourly.series[0]?.points.map(p => p.requests)).toEqual([0, 2, 16])
  })

  it('rank the top models by cost', async () => {
    const reply = await get(`/stats/top?by=model&order=cost&limit=2&${TWO_DAYS}`)
    expect(StatsTopSchema.parse(reply.json).rows.map(r => [r.label, r.cost])).toEqual([
      ['gpt-4.1', 4.125],
      ['claude-x', 0.640625]
    ])
  })
})

describe('GET /api/v1/stats/series.csv', () => {
  const csvUrl = (query: string): string => `${cuttle.url}/api/v1/stats/series.csv?${query}`

  it('needs a valid token, in the header or the query', async () => {
    for (const url of [csvUrl(TWO_DAYS), csvUrl(`${TWO_DAYS}&token=not-a-token`)]) expect((await fetch(url)).status).toBe(401)
    expect((await fetch(csvUrl(TWO_DAYS), { headers: { authorization: `Bearer ${token}` } })).status).toBe(200)
    expect((await fetch(csvUrl(`${TWO_DAYS}&token=${encodeURIComponent(token)}`))).status).toBe(200)
  })

  it('downloads the series as RFC 4180 CSV with local times and a dated file name', async () => {
    const res = await fetch(csvUrl(`${TWO_DAYS}&tz=-300&bucket=day&groupBy=group`), { headers: { authorization: `Bearer ${token}` } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="cuttle-usage-2023-11-12-2023-11-14.csv"')
    const odd = `"${ODD_GROUP.replaceAll('"', '""')}"`
    expect(odd).toBe('"odd,""name"""')
    expect(await res.text()).toBe(
      [
        'time_iso,key,label,requests,failures,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,cost,unpriced_requests,avg_latency_ms',
        '2023-11-12T00:00:00-05:00,smart,smart,0,0,0,0,0,0,0,0,',
        '2023-11-12T00:00:00-05:00,cheap,cheap,0,0,0,0,0,0,0,0,',
        `2023-11-12T00:00:00-05:00,${odd},${odd},0,0,0,0,0,0,0,0,`,
        '2023-11-13T00:00:00-05:00,smart,smart,6,1,1300,300,50,10,0.75,0,483.333333333',
        '2023-11-13T00:00:00-05:00,cheap,cheap,3,3,0,0,0,0,0,0,10',
        `2023-11-13T00:00:00-05:00,${odd},${odd},1,1,0,0,0,0,0,0,100`,
        '2023-11-14T00:00:00-05:00,smart,smart,21,2,7600,1560,1000,300,4,0,895.238095238',
        '2023-11-14T00:00:00-05:00,cheap,cheap,3,0,110,110,0,0,0.015625,2,283.333333333',
        `2023-11-14T00:00:00-05:00,${odd},${odd},0,0,0,0,0,0,0,0,`,
        ''
      ].join('\r\n')
    )
  })

  it('answers a bad query with the JSON error of the other endpoints', async () => {
    const res = await fetch(csvUrl('groupBy=region'), { headers: { authorization: `Bearer ${token}` } })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('validation_failed')
  })

  it('is in the OpenAPI document with the series parameters', async () => {
    const doc = (await get('/openapi.json')).json as { paths: Record<string, { get?: { parameters?: Array<{ name: string }> } }> }
    expect(doc.paths['/api/v1/stats/series.csv']?.get?.parameters?.map(p => p.name)).toEqual(expect.arrayContaining(['from', 'tz', 'groupBy', 'token']))
    for (const path of ['/api/v1/stats/summary', '/api/v1/stats/series', '/api/v1/stats/top', '/api/v1/logs', '/api/v1/logs/{id}']) expect(doc.paths[path]?.get).toBeDefined()
  })
})

describe('GET /api/v1/logs', () => {
  it('pages newest first through the cursor, filtered, without bodies', async () => {
    const first = RequestLogPageSchema.parse((await get('/logs?limit=5')).json)
    expect(first.items.map(i => i.requestId)).toEqual(['req-000011', 'req-000010', 'req-000009', 'req-000008', 'req-000007'])
    expect(first.nextCursor).toBe(`${FIXED_NOW + 7_000}-${first.items[4]?.id}`)
    expect(Object.keys(first.items[0] ?? {})).not.toContain('requestBody')
    const errors: string[] = []
    let cursor: string | null = null
    do {
      const path: string = `/logs?status=error&channelId=3&limit=2${cursor ? `&cursor=${cursor}` : ''}`
      const page = RequestLogPageSchema.parse((await get(path)).json)
      errors.push(...page.items.map(i => i.requestId))
      cursor = page.nextCursor
    } while (cursor)
    expect(errors).toEqual(['req-000008', 'req-000005', 'req-000002'])
    const window = RequestLogPageSchema.parse((await get(`/logs?from=${FIXED_NOW + 3_000}&to=${FIXED_NOW + 5_000}&status=200`)).json)
    expect(window).toEqual({ items: [expect.objectContaining({ requestId: 'req-000004' }), expect.objectContaining({ requestId: 'req-000003' })], nextCursor: null })
  })

  it('rejects a bad cursor, status or limit', async () => {
    for (const query of ['cursor=abc', 'status=broken', 'limit=201', 'apiKeyId=-1']) expect(adminErrorOf(await get(`/logs?${query}`), 400).code).toBe('validation_failed')
  })

  it('shows one request with its attempts and bodies, or 404', async () => {
    const [item] = RequestLogPageSchema.parse((await get('/logs?requestId=req-000003')).json).items
    const reply = await get(`/logs/${item?.id}`)
    expect(reply.status, reply.text).toBe(200)
    expect(RequestLogSchema.parse(reply.json)).toEqual({ id: item?.id, ...requestLogEntry(3, { channelId: 3 }) })
    expect(adminErrorOf(await get('/logs/999999'), 404).code).toBe('not_found')
    expect(adminErrorOf(await get('/logs/abc'), 400).code).toBe('validation_failed')
  })
})
