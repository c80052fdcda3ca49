import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { LiveStatsSchema, type LiveStats } from '@shared/dto/stats'
import { adminCall, adminErrorOf } from '../../testing/admin-client'
import { setUpChat, type ChatCaller } from '../../testing/chat-traffic'
import { startFakeOpenAi, type FakeOpenAiUpstream } from '../../testing/fake-openai-upstream'
import { openSse, type SseClient } from '../../testing/sse-client'
import { startTestCore, type TestCore } from '../../testing/test-core'
import { createTestDatabase, type TestDatabase } from '../../testing/test-db'

let db: TestDatabase
let cuttle: TestCore
let upstream: FakeOpenAiUpstream
let chat: ChatCaller
let token: string

beforeAll(async () => {
  db = await createTestDatabase('sqlite')
  upstream = await startFakeOpenAi()
  cuttle = await startTestCore(db)
  token = await cuttle.login()
  chat = await setUpChat(cuttle, upstream.url, 'live-model')
})

afterAll(async () => {
  await cuttle.stop()
  await upstream.close()
  await db.destroy()
})

async function liveStats(): Promise<LiveStats> {
  const reply = await adminCall(cuttle.url, 'GET', '/stats/live', { token })
  expect(reply.status, reply.text).toBe(200)
  return LiveStatsSchema.parse(reply.json)
}

const streamUrl = (query = ''): string => `${cuttle.url}/api/v1/stats/live/stream${query}`

/** Reads `live` events until one satisfies `done`; returns every event read. */
async function readUntil(stream: SseClient, done: (stats: LiveStats) => boolean): Promise<LiveStats[]> {
  const seen: LiveStats[] = []
  for (;;) {
    const message = await stream.next()
    if (message.event !== 'live' || message.data === null) continue
    seen.push(LiveStatsSchema.parse(JSON.parse(message.data)))
    if (done(seen[seen.length - 1] as LiveStats)) return seen
  }
}

describe('GET /api/v1/stats/live', () => {
  it('needs the admin token', async () => {
    expect(adminErrorOf(await adminCall(cuttle.url, 'GET', '/stats/live'), 401).code).toBe('unauthorized')
  })

  it('counts requests, errors and the rate of real traffic', async () => {
    const before = await liveStats()
    expect(before).toEqual({ inFlight: 0, requestsToday: 0, errorsToday: 0, inFlightByGroup: {}, requestsPerSecond: 0, droppedLogs: 0 })
    expect(await chat()).toBe(200)
    expect(await chat({ stream: true })).toBe(200)
    upstream.behave(() => ({ kind: 'status', status: 400, body: { error: { message: 'bad', type: 'invalid_request_error' } } }))
    expect(await chat()).toBe(400)
    upstream.behave(() => ({ kind: 'reply' }))
    const after = await liveStats()
    expect(after).toMatchObject({ inFlight: 0, requestsToday: 3, errorsToday: 1, inFlightByGroup: {}, droppedLogs: 0 })
    // Three requests within the 10 s window.
    expect(after.requestsPerSecond).toBe(0.3)
  })

  it('shows a request in flight, by group, while it streams', async () => {
    upstream.behave(() => ({ kind: 'slow-stream', count: 30, intervalMs: 50 }))
    const pending = chat({ stream: true })
    await vi.waitFor(async () => expect(await liveStats()).toMatchObject({ inFlight: 1, inFlightByGroup: { 'live-model': 1 } }), { timeout: 3000, interval: 50 })
    expect(await pending).toBe(200)
    upstream.behave(() => ({ kind: 'reply' }))
    expect(await liveStats()).toMatchObject({ inFlight: 0, inFlightByGroup: {} })
  })
})

describe('GET /api/v1/stats/live/stream', () => {
  it('needs a valid token, in the header or the query', async () => {
    for (const url of [streamUrl(), streamUrl('?token=not-a-token'), streamUrl('?token=')]) {
      const res = await fetch(url)
      expect(res.status).toBe(401)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized')
    }
    expect(cuttle.core.liveFeed.subscribers).toBe(0)
    const viaHeader = await openSse(streamUrl(), { authorization: `Bearer ${token}` })
    expect(viaHeader.response.status).toBe(200)
    expect((await viaHeader.next()).event).toBe('live')
    await viaHeader.close()
    await vi.waitFor(() => expect(cuttle.core.liveFeed.subscribers).toBe(0))
  })

  it('sends the live figures at once and again when traffic changes them; closing frees the timer', async () => {
    const stream = await openSse(streamUrl(`?token=${encodeURIComponent(token)}`))
    expect(stream.response.status).toBe(200)
    expect(stream.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    expect(stream.response.headers.get('cache-control')).toContain('no-cache')
    const [first] = await readUntil(stream, () => true)
    expect(cuttle.core.liveFeed.subscribers).toBe(1)
    // The rate is left out: it may move as older requests leave its window between the two reads.
    const { requestsPerSecond: _rate, ...now } = await liveStats()
    expect(first).toMatchObject(now)

    const started = Date.now()
    expect(await chat()).toBe(200)
    expect(await chat()).toBe(200)
    const later = await readUntil(stream, stats => stats.requestsToday === (first?.requestsToday ?? 0) + 2)
    // At most one event per second: the second event cannot come sooner than a second after the first.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
    expect(later.length).toBeLessThanOrEqual(3)
    expect(later[later.length - 1]?.requestsPerSecond).toBeGreaterThan(0)

    await stream.close()
    await vi.waitFor(() => expect(cuttle.core.liveFeed.subscribers).toBe(0), { timeout: 2000 })
  })

  it('an open stream does not hold up the shutdown', async () => {
    const stream = await openSse(streamUrl(`?token=${encodeURIComponent(token)}`))
    await stream.next()
    const started = Date.now()
    await cuttle.stop()
    expect(Date.now() - started).toBeLessThan(2000)
    await expect(stream.next()).rejects.toThrow('the stream ended')
    expect(cuttle.core.liveFeed.subscribers).toBe(0)
  })
})
