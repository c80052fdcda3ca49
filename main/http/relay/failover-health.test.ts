import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { ChannelDto } from '@shared/dto/channel'
import { startFakeOpenAi, type FakeOpenAiUpstream } from '../../testing/fake-openai-upstream'
import { startTestCore, type TestCore } from '../../testing/test-core'
import { createTestDatabase, type TestDatabase } from '../../testing/test-db'

let db: TestDatabase
let cuttle: TestCore
let upstreams: FakeOpenAiUpstream[] = []
let channels: ChannelDto[] = []
let clientKey: string

const KEYS = ['sk-first-key-000000001', 'sk-second-key-00000002']

async function chat(model = 'pool'): Promise<{ status: number; channel: string | null; attempts: string | null; body: unknown }> {
  const res = await fetch(`${cuttle.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${clientKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] })
  })
  return { status: res.status, channel: res.headers.get('x-cuttle-channel'), attempts: res.headers.get('x-cuttle-attempts'), body: await res.json() }
}

async function channel(id: number): Promise<ChannelDto> {
  return (await cuttle.admin('GET', `/channels/${id}`)).body as ChannelDto
}

const calls = (u: FakeOpenAiUpstream | undefined): string[] => (u?.requests ?? []).map(r => String(r.headers.authorization))

beforeAll(async () => {
  db = await createTestDatabase('sqlite')
  upstreams = await Promise.all([startFakeOpenAi(), startFakeOpenAi(), startFakeOpenAi()])
  cuttle = await startTestCore(db)
  channels = []
  for (const [i, u] of upstreams.entries()) {
    const keys = i === 0 ? KEYS : [`sk-channel-${i}-0000000000`]
    channels.push((await cuttle.admin('POST', '/channels', { name: `ch${i}`, type: 'openai-chat', baseUrls: [u.url], keys, models: [] })).body as ChannelDto)
  }
  await cuttle.admin('POST', '/groups', {
    name: 'pool',
    mode: 'failover',
    maxAttempts: 2,
    members: channels.map((c, i) => ({ channelId: c.id, model: `m${i}`, priority: 0 }))
  })
  clientKey = ((await cuttle.admin('POST', '/api-keys', { name: 'k' })).body as { key: string }).key
})

afterAll(async () => {
  await cuttle.stop()
  await Promise.all(upstreams.map(u => u.close()))
  await db.destroy()
})

beforeEach(async () => {
  for (const c of channels) await cuttle.admin('POST', `/channels/${c.id}/health/reset`)
  for (const u of upstreams) {
    u.requests.length = 0
    u.behave(() => ({ kind: 'reply' }))
  }
})

describe('failover with health', () => {
  it('skips and cools a channel that answers 500; the next request goes elsewhere first', async () => {
    upstreams[0]?.behave(() => ({ kind: 'status', status: 500, body: { error: { message: 'internal' } } }))
    const first = await chat()
    expect([first.status, first.channel, first.attempts]).toEqual([200, 'ch1', '2'])
    const health = (await channel(channels[0]?.id ?? 0)).health
    expect(health).toMatchObject({ status: 'cooling', consecutiveFailures: 1, reason: 'HTTP 500: internal' })
    expect((health.cooldownUntil ?? 0) - Date.now()).toBeGreaterThan(3000)
    const second = await chat()
    expect([second.status, second.channel, second.attempts]).toEqual([200, 'ch1', '1'])
    expect(upstreams[0]?.requests).toHaveLength(1)
  })

  it('cools a throttled key for its Retry-After and uses the next key of the same channel first', async () => {
    upstreams[0]?.behave(req =>
      req.headers.authorization === `Bearer ${KEYS[0]}`
        ? { kind: 'status', status: 429, body: { error: { message: 'slow down' } }, headers: { 'retry-after': '30' } }
        : { kind: 'reply' }
    )
    const results = [await chat(), await chat(), await chat()]
    expect(results.map(r => [r.status, r.channel])).toEqual([[200, 'ch0'], [200, 'ch0'], [200, 'ch0']])
    // Rotation starts on key 1 for the first request only; once cooled, key 1 is always tried last.
    const seen = calls(upstreams[0])
    expect(seen.filter(a => a === `Bearer ${KEYS[0]}`).length).toBeLessThanOrEqual(1)
    expect(seen.filter(a => a === `Bearer ${KEYS[1]}`)).toHaveLength(3)
    const key = (await channel(channels[0]?.id ?? 0)).keys.find(k => k.health.status !== 'healthy')
    if (seen[0] === `Bearer ${KEYS[0]}`) {
      expect(key?.health).toMatchObject({ status: 'cooling', reason: 'HTTP 429: slow down' })
      expect(Math.abs((key?.health.cooldownUntil ?? 0) - Date.now() - 30_000)).toBeLessThan(2000)
    }
  })

  it('sets aside a key the provider rejects (401), shows why, and brings it back on reset', async () => {
    upstreams[0]?.behave(req =>
      req.headers.authorization === `Bearer ${KEYS[1]}` ? { kind: 'status', status: 401, body: { error: { message: 'Incorrect API key' } } } : { kind: 'reply' }
    )
    for (let i = 0; i < 4; i++) expect((await chat()).status).toBe(200)
    expect(calls(upstreams[0]).filter(a => a === `Bearer ${KEYS[1]}`)).toHaveLength(1)
    const dto = await channel(channels[0]?.id ?? 0)
    expect(dto.keys.map(k => k.health.status).sort()).toEqual(['disabled', 'healthy'])
    expect(dto.keys.find(k => k.health.status === 'disabled')?.health.reason).toBe('HTTP 401: Incorrect API key')
    expect(dto.health.status).toBe('healthy')
    const reset = (await cuttle.admin('POST', `/channels/${dto.id}/health/reset`)).body as ChannelDto
    expect(reset.keys.map(k => k.health.status)).toEqual(['healthy', 'healthy'])
  })

  it('gives up after maxAttempts with one clear error when every member fails', async () => {
    for (const u of upstreams) u.behave(() => ({ kind: 'status', status: 503, body: { error: { message: 'overloaded' } } }))
    const result = await chat()
    expect(result.status).toBe(503)
    expect(result.attempts).toBe('2')
    expect(upstreams.reduce((n, u) => n + u.requests.length, 0)).toBe(2)
    expect(result.body).toMatchObject({ error: { code: 'upstream_error', type: 'server_error' } })
  })

  it('does not cool anything for a client error', async () => {
    upstreams[0]?.behave(() => ({ kind: 'status', status: 400, body: { error: { message: 'bad request' } } }))
    expect((await chat()).status).toBe(400)
    expect((await channel(channels[0]?.id ?? 0)).health.status).toBe('healthy')
    expect(upstreams[1]?.requests).toHaveLength(0)
  })
})

describe('several base URLs per channel', () => {
  it('moves to the next URL when one refuses connections, within one attempt, and remembers it', async () => {
    const live = upstreams[2]
    const created = (await cuttle.admin('POST', '/channels', {
      name: 'multi-url',
      type: 'openai-chat',
      // Port 1 on loopback refuses connections: the URL is down, the next one answers.
      baseUrls: ['http://127.0.0.1:1', live?.url],
      keys: ['sk-multi-url-000000001'],
      models: ['multi-model']
    })).body as ChannelDto
    expect(created.baseUrls).toHaveLength(2)
    const first = await chat('multi-model')
    expect([first.status, first.channel, first.attempts]).toEqual([200, 'multi-url', '1'])
    const second = await chat('multi-model')
    expect(second.status).toBe(200)
    expect(live?.requests.filter(r => r.body.model === 'multi-model')).toHaveLength(2)
    await cuttle.core.flusher.flush()
    const [log] = await cuttle.core.repos.requestLogs.list(1)
    expect(log?.attempts.map(a => a.baseUrl)).toEqual([live?.url])
  })
})
