import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { LiveCounters } from '../stats/live-counters'
import { StatsRecorder } from '../stats/stats-recorder'
import { setUpChat, type ChatCaller } from '../testing/chat-traffic'
import { FIXED_NOW } from '../testing/factories'
import { startFakeOpenAi, type FakeOpenAiUpstream } from '../testing/fake-openai-upstream'
import { startTestCore, type TestCore } from '../testing/test-core'
import { createTestDatabase, type TestDatabase } from '../testing/test-db'
import { labels, renderMetrics } from './metrics.routes'

let db: TestDatabase
let cuttle: TestCore
let upstream: FakeOpenAiUpstream
let chat: ChatCaller

beforeAll(async () => {
  db = await createTestDatabase('sqlite')
  upstream = await startFakeOpenAi()
  cuttle = await startTestCore(db)
  chat = await setUpChat(cuttle, upstream.url, 'metrics-model')
})

afterAll(async () => {
  await cuttle.stop()
  await upstream.close()
  await db.destroy()
})

async function scrape(): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`${cuttle.url}/metrics`)
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() }
}

/** Sample lines (no comments) as `name{labels}` → value. */
function samples(text: string): Map<string, number> {
  const lines = text.split('\n').filter(line => line !== '' && !line.startsWith('#'))
  return new Map(lines.map(line => [line.slice(0, line.lastIndexOf(' ')), Number(line.slice(line.lastIndexOf(' ') + 1))]))
}

describe('GET /metrics', () => {
  it('answers without a token in the Prometheus text format', async () => {
    const { status, type, text } = await scrape()
    expect(status).toBe(200)
    expect(type).toBe('text/plain; version=0.0.4; charset=utf-8')
    expect(text.endsWith('\n')).toBe(true)
    expect(text).toContain('# TYPE cuttle_requests_in_flight gauge\n')
    expect(text).toContain('# TYPE cuttle_requests_today_total counter\n')
    expect(Object.fromEntries(samples(text))).toEqual({
      cuttle_requests_in_flight: 0,
      cuttle_requests_today_total: 0,
      cuttle_errors_today_total: 0,
      cuttle_log_rows_dropped_total: 0,
      'cuttle_build_info{version="test"}': 1
    })
  })

  it('follows real traffic, in flight per group included', async () => {
    expect(await chat()).toBe(200)
    upstream.behave(() => ({ kind: 'status', status: 400, body: { error: { message: 'bad', type: 'invalid_request_error' } } }))
    expect(await chat()).toBe(400)
    upstream.behave(() => ({ kind: 'slow-stream', count: 30, intervalMs: 50 }))
    const pending = chat({ stream: true })
    await vi.waitFor(
      async () => expect(samples((await scrape()).text).get('cuttle_requests_in_flight_by_group{group="metrics-model"}')).toBe(1),
      { timeout: 3000, interval: 50 }
    )
    const during = samples((await scrape()).text)
    expect(during.get('cuttle_requests_in_flight')).toBe(1)
    expect(await pending).toBe(200)
    upstream.behave(() => ({ kind: 'reply' }))
    const after = samples((await scrape()).text)
    expect(after.get('cuttle_requests_today_total')).toBe(3)
    expect(after.get('cuttle_errors_today_total')).toBe(1)
    expect(after.get('cuttle_requests_in_flight')).toBe(0)
    expect([...after.keys()].some(name => name.startsWith('cuttle_requests_in_flight_by_group'))).toBe(false)
  })
})

describe('renderMetrics', () => {
  it('escapes label values as the exposition format asks', () => {
    expect(labels({ group: 'a\\b"c\nd' })).toBe('{group="a\\\\b\\"c\\nd"}')
    const live = new LiveCounters(() => FIXED_NOW)
    live.begin('we"ird\\name\n')
    live.begin('smart')
    const text = renderMetrics({ live, stats: new StatsRecorder(10), version: '1.2.3-"beta"' })
    expect(text).toContain('cuttle_build_info{version="1.2.3-\\"beta\\""} 1\n')
    expect(text).toContain('cuttle_requests_in_flight_by_group{group="we\\"ird\\\\name\\n"} 1\n')
    expect(text).toContain('cuttle_requests_in_flight_by_group{group="smart"} 1\n')
    expect(text).toContain('cuttle_requests_in_flight 2\n')
    // Every sample stays on one line: a raw newline in a value would break the format.
    for (const line of text.trimEnd().split('\n')) expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{.*\})? \d+(\.\d+)?)$/)
  })
})
