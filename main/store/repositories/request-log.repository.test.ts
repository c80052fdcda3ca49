import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RequestLogEntry } from '@shared/dto/request-log'
import { fixedClock, FIXED_NOW, requestLogEntry } from '../../testing/factories'
import { createTestDatabase, testDatabaseClients, type TestDatabase } from '../../testing/test-db'
import { migrate } from '../migrate'
import { RequestLogRepository } from './request-log.repository'

const BATCH = 450

describe.each(testDatabaseClients())('RequestLogRepository on %s', client => {
  let db: TestDatabase
  let logs: RequestLogRepository
  const entries: RequestLogEntry[] = Array.from({ length: BATCH }, (_, i) => requestLogEntry(i))

  beforeAll(async () => {
    db = await createTestDatabase(client)
    await migrate(db.knex, null, fixedClock)
    logs = new RequestLogRepository(db.knex)
  })

  afterAll(async () => {
    await db?.destroy()
  })

  it('counts zero rows on an empty table', async () => {
    expect(await logs.count()).toBe(0)
    expect(await logs.list(10)).toEqual([])
  })

  it('inserts a batch larger than one chunk', async () => {
    await logs.insertMany(entries)
    expect(await logs.count()).toBe(BATCH)
    const ids = (await db.knex('request_logs').select('request_id')) as Array<{ request_id: unknown }>
    expect(new Set(ids.map(r => r.request_id)).size).toBe(BATCH)
  })

  it('lists newest first, with limit and offset', async () => {
    const page = await logs.list(5)
    expect(page.map(r => r.requestId)).toEqual(['req-000449', 'req-000448', 'req-000447', 'req-000446', 'req-000445'])
    const ids = page.map(r => r.id)
    expect(ids).toEqual([...ids].sort((a, b) => b - a))

    const all = await logs.list(1_000)
    expect(all).toHaveLength(BATCH)
    expect(all.map(r => r.requestId)).toEqual(entries.map(e => e.requestId).reverse())

    const middle = await logs.list(3, 200)
    expect(middle.map(r => r.requestId)).toEqual(['req-000249', 'req-000248', 'req-000247'])
    expect(await logs.list(10, BATCH)).toEqual([])
  })

  it('round-trips every field, attempts JSON included', async () => {
    const all = await logs.list(1_000)
    for (const i of [0, 1, 199, 200, 201, 399, 400, 449]) {
      const row = all.find(r => r.requestId === entries[i]?.requestId)
      expect(row).toBeDefined()
      const { id, ...rest } = row ?? { id: 0 }
      expect(id).toBeGreaterThan(0)
      expect(rest).toEqual(entries[i])
    }
    const sample = all.find(r => r.requestId === 'req-000007')
    expect(sample?.attempts).toEqual([
      {
        channelId: 3,
        channelName: 'primary',
        upstreamModel: 'gpt-4.1',
        keyFingerprint: '0123456789ab',
        baseUrl: 'https://api.example.com/v1',
        status: 200,
        outcome: 'ok',
        failure: null,
        reason: 'answered',
        durationMs: 127
      }
    ])
    expect(sample?.stream).toBe(false)
    expect(all.find(r => r.requestId === 'req-000008')?.stream).toBe(true)
    expect(sample?.cost).toBe(0.007)
  })

  it('keeps null fields null and several attempts in order', async () => {
    const failed = requestLogEntry(0, {
      time: FIXED_NOW + 10_000_000,
      requestId: 'req-nulls',
      apiKeyId: null,
      channelId: null,
      upstreamModel: null,
      stream: false,
      status: 502,
      attempts: [
        {
          channelId: 1,
          channelName: 'a',
          upstreamModel: 'x',
          keyFingerprint: null,
          baseUrl: 'https://a.example',
          status: null,
          outcome: 'retry',
          failure: 'timeout',
          reason: 'connect timeout',
          durationMs: 10_000
        },
        {
          channelId: 2,
          channelName: 'b',
          upstreamModel: 'y',
          keyFingerprint: 'ffffffffffff',
          baseUrl: 'https://b.example',
          status: 500,
          outcome: 'fail',
          failure: 'client',
          reason: 'upstream 500 "bad"',
          durationMs: 20
        }
      ],
      firstTokenMs: null,
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      cost: null,
      error: 'all channels failed',
      requestBody: null,
      responseBody: null
    })
    await logs.insertMany([failed])
    const [newest] = await logs.list(1)
    expect(newest).toBeDefined()
    const { id: _id, ...rest } = newest ?? { id: 0 }
    expect(rest).toEqual(failed)
    expect(newest?.apiKeyId).toBeNull()
    expect(newest?.cost).toBeNull()
    expect(newest?.firstTokenMs).toBeNull()
    expect(newest?.requestBody).toBeNull()
    expect(newest?.attempts.map(a => a.outcome)).toEqual(['retry', 'fail'])
    expect(await logs.count()).toBe(BATCH + 1)
  })

  it('keeps a large captured body intact', async () => {
    const body = JSON.stringify({ text: 'ü'.repeat(40_000) + 'x'.repeat(100_000) })
    await logs.insertMany([requestLogEntry(1, { requestId: 'req-big', requestBody: body, responseBody: body })])
    const [newest] = await logs.list(1)
    expect(newest?.requestId).toBe('req-big')
    expect(newest?.requestBody).toBe(body)
    expect(newest?.responseBody?.length).toBe(body.length)
  })

  it('inserts nothing for an empty batch', async () => {
    const before = await logs.count()
    await logs.insertMany([])
    expect(await logs.count()).toBe(before)
  })
})
