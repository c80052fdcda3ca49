import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LogCursor } from '@shared/dto/log-query'
import type { RequestLogEntry } from '@shared/dto/request-log'
import { fixedClock, FIXED_NOW, requestLogEntry } from '../../testing/factories'
import { createTestDatabase, testDatabaseClients, type TestDatabase } from '../../testing/test-db'
import { migrate } from '../migrate'
import type { LogFilter } from './request-log.page'
import { RequestLogRepository } from './request-log.repository'

const T = FIXED_NOW

/** e0…e7, inserted in this order: ids follow the list, times do not (e2 and e6 were flushed late; e1, e3, e4 share a millisecond). */
const ENTRIES: RequestLogEntry[] = [
  [0, 7, 3, 'smart', 'gpt-4.1', 200],
  [5_000, 8, 4, 'cheap', 'claude-x', 500],
  [1_000, 7, null, 'smart', null, 503],
  [5_000, null, 3, 'smart', 'gpt-4.1', 200],
  [5_000, 7, 3, 'smart', 'gpt-4.1', 429],
  [9_000, 8, 4, 'cheap', 'claude-x', 200],
  [3_000, 7, 4, 'smart', 'claude-x', 400],
  [12_000, 7, 3, 'cheap', 'gpt-4.1', 200]
].map(([dt, apiKeyId, channelId, requestedModel, upstreamModel, status], i) =>
  requestLogEntry(i, {
    time: T + Number(dt),
    apiKeyId: apiKeyId as number | null,
    channelId: channelId as number | null,
    requestedModel: String(requestedModel),
    upstreamModel: upstreamModel as string | null,
    status: Number(status)
  })
)

/** Newest first by time, then id: e7 (12 s), e5 (9 s), e4, e3, e1 (5 s, newest id first), e6, e2, e0. */
const ALL = ['e7', 'e5', 'e4', 'e3', 'e1', 'e6', 'e2', 'e0']

const name = (requestId: string): string => `e${Number(requestId.slice(4))}`

describe.each(testDatabaseClients())('RequestLogRepository.page on %s', client => {
  let db: TestDatabase
  let logs: RequestLogRepository

  beforeAll(async () => {
    db = await createTestDatabase(client)
    await migrate(db.knex, null, fixedClock)
    logs = new RequestLogRepository(db.knex)
    await logs.insertMany(ENTRIES)
  })

  afterAll(async () => {
    await db?.destroy()
  })

  /** Every page of a filter, `limit` rows at a time, as entry names. */
  async function walk(filter: LogFilter, limit: number): Promise<string[][]> {
    const pages: string[][] = []
    let cursor: LogCursor | null = null
    do {
      const page: Awaited<ReturnType<RequestLogRepository['page']>> = await logs.page(filter, cursor, limit)
      pages.push(page.items.map(item => name(item.requestId)))
      cursor = page.next
    } while (cursor && pages.length < 20)
    return pages
  }

  it('lists newest first by time then id, without bodies, with the number of attempts', async () => {
    const page = await logs.page({}, null, 50)
    expect(page.items.map(item => name(item.requestId))).toEqual(ALL)
    expect(page.next).toBeNull()
    const e0 = page.items.find(item => item.requestId === 'req-000000')
    const { attempts, requestBody: _req, responseBody: _res, ...rest } = ENTRIES[0] as RequestLogEntry
    expect(e0).toEqual({ ...rest, id: e0?.id, attemptCount: attempts.length })
    expect(attempts).toHaveLength(1)
    expect(Object.keys(e0 ?? {})).not.toContain('requestBody')
  })

  it('pages through every row once, splitting rows of the same millisecond across pages', async () => {
    expect(await walk({}, 3)).toEqual([
      ['e7', 'e5', 'e4'],
      ['e3', 'e1', 'e6'],
      ['e2', 'e0']
    ])
    // A last page exactly full has no next page.
    expect(await walk({}, 4)).toEqual([
      ['e7', 'e5', 'e4', 'e3'],
      ['e1', 'e6', 'e2', 'e0']
    ])
    expect(await walk({ status: 'error' }, 2)).toEqual([
      ['e4', 'e1'],
      ['e6', 'e2']
    ])
  })

  it.each<[string, LogFilter, string[]]>([
    ['status error (>= 400)', { status: 'error' }, ['e4', 'e1', 'e6', 'e2']],
    ['status ok (< 400)', { status: 'ok' }, ['e7', 'e5', 'e3', 'e0']],
    ['one status code', { status: 500 }, ['e1']],
    ['client key', { apiKeyId: 7 }, ['e7', 'e4', 'e6', 'e2', 'e0']],
    ['no client key (0)', { apiKeyId: 0 }, ['e3']],
    ['channel', { channelId: 3 }, ['e7', 'e4', 'e3', 'e0']],
    ['no channel (0)', { channelId: 0 }, ['e2']],
    ['requested model', { model: 'smart' }, ['e4', 'e3', 'e6', 'e2', 'e0']],
    ['requested model, exact case', { model: 'Smart' }, []],
    ['upstream model', { upstreamModel: 'claude-x' }, ['e5', 'e1', 'e6']],
    ['time window [3 s, 9 s)', { from: T + 3_000, to: T + 9_000 }, ['e4', 'e3', 'e1', 'e6']],
    ['model and errors', { model: 'smart', status: 'error' }, ['e4', 'e6', 'e2']],
    ['key and time window', { apiKeyId: 7, from: T + 1_000, to: T + 6_000 }, ['e4', 'e6', 'e2']],
    ['channel, ok, model', { channelId: 3, status: 'ok', model: 'smart' }, ['e3', 'e0']],
    ['request id', { requestId: 'req-000003' }, ['e3']]
  ])('filters by %s', async (_label, filter, expected) => {
    expect((await walk(filter, 2)).flat()).toEqual(expected)
  })

  it('gets one row in full, or null', async () => {
    const [newest] = (await logs.page({ requestId: 'req-000007' }, null, 1)).items
    expect(newest).toBeDefined()
    const full = await logs.get(newest?.id ?? 0)
    expect(full).toEqual({ id: newest?.id, ...ENTRIES[7] })
    expect(full?.requestBody).toBe('{"i":7}')
    expect(await logs.get(999_999)).toBeNull()
  })
})
