import OpenAI from 'openai'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startFakeOpenAi, type FakeOpenAiUpstream } from '../../testing/fake-openai-upstream'
import { startTestCore, type TestCore } from '../../testing/test-core'
import { createTestDatabase, type TestDatabase } from '../../testing/test-db'

let db: TestDatabase
let cuttle: TestCore
let primary: FakeOpenAiUpstream
let backup: FakeOpenAiUpstream
let clientKey: string
let client: OpenAI
let channelIds: number[] = []

async function created<T>(res: Promise<{ status: number; body: unknown }>): Promise<T> {
  const { status, body } = await res
  if (status !== 201) throw new Error(`expected 201, got ${status}: ${JSON.stringify(body)}`)
  return body as T
}

beforeAll(async () => {
  db = await createTestDatabase('sqlite')
  primary = await startFakeOpenAi()
  backup = await startFakeOpenAi()
  cuttle = await startTestCore(db)
  const a = await created<{ id: number }>(cuttle.admin('POST', '/channels', { name: 'primary', type: 'openai-chat', baseUrls: [primary.url], keys: ['sk-primary-secret-0001'], models: ['gpt-a'] }))
  const b = await created<{ id: number }>(cuttle.admin('POST', '/channels', { name: 'backup', type: 'openai-chat', baseUrls: [`${backup.url}/v1`], keys: ['sk-backup-secret-0002'], models: [] }))
  await created(cuttle.admin('POST', '/groups', {
    name: 'smart',
    mode: 'failover',
    members: [
      { channelId: a.id, model: 'upstream-a' },
      { channelId: b.id, model: 'upstream-b' }
    ]
  }))
  channelIds = [a.id, b.id]
  clientKey = (await created<{ key: string }>(cuttle.admin('POST', '/api-keys', { name: 'laptop' }))).key
  client = new OpenAI({ apiKey: clientKey, baseURL: `${cuttle.url}/v1`, maxRetries: 0 })
})

afterAll(async () => {
  await cuttle.stop()
  await primary.close()
  await backup.close()
  await db.destroy()
})

beforeEach(async () => {
  // Each case starts with healthy channels: cooldowns from the previous case would reorder them.
  for (const id of channelIds) expect((await cuttle.admin('POST', `/channels/${id}/health/reset`)).status).toBe(200)
  primary.requests.length = 0
  backup.requests.length = 0
  primary.behave(() => ({ kind: 'reply' }))
  backup.behave(() => ({ kind: 'reply', text: 'from backup' }))
})

describe('POST /v1/chat/completions through the OpenAI SDK', () => {
  it('returns a completion and rewrites model and auth for the upstream', async () => {
    primary.behave(() => ({ kind: 'reply', text: 'Hello world', usage: { prompt: 12, completion: 3, cached: 4 } }))
    const { data, response } = await client.chat.completions
      .create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }], temperature: 0.2 })
      .withResponse()
    expect(data.choices[0]?.message.content).toBe('Hello world')
    expect(data.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 3 })
    expect(response.headers.get('x-cuttle-channel')).toBe('primary')
    expect(response.headers.get('x-cuttle-request-id')).toMatch(/^req_[0-9a-f]{32}$/)
    expect(response.headers.get('server-timing')).toMatch(/^cuttle;desc="relay overhead";dur=\d+, upstream;desc="provider until headers";dur=\d+$/)
    const seen = primary.requests[0]
    expect(seen?.path).toBe('/v1/chat/completions')
    expect(seen?.body).toMatchObject({ model: 'upstream-a', temperature: 0.2, messages: [{ role: 'user', content: 'hi' }] })
    expect(seen?.headers.authorization).toBe('Bearer sk-primary-secret-0001')
    expect(JSON.stringify(seen?.headers)).not.toContain(clientKey)
  })

  it('streams chunks in order and hides the usage chunk the client did not ask for', async () => {
    const stream = await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }], stream: true })
    const texts: string[] = []
    let chunks = 0
    for await (const chunk of stream) {
      chunks += 1
      expect(chunk.choices.length).toBe(1)
      texts.push(chunk.choices[0]?.delta.content ?? '')
    }
    expect(texts.join('')).toBe('Hello world')
    expect(chunks).toBe(4)
    expect(primary.requests[0]?.body.stream_options).toEqual({ include_usage: true })
  })

  it('passes the usage chunk when the client asks for it', async () => {
    const stream = await client.chat.completions.create({
      model: 'smart',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true }
    })
    const usage = []
    for await (const chunk of stream) if (chunk.usage) usage.push(chunk.usage)
    expect(usage).toEqual([expect.objectContaining({ prompt_tokens: 10, completion_tokens: 2 })])
  })

  it('fails over to the next member on a 5xx and says so in the headers', async () => {
    primary.behave(() => ({ kind: 'status', status: 503, body: { error: { message: 'overloaded' } } }))
    const { data, response } = await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] }).withResponse()
    expect(data.choices[0]?.message.content).toBe('from backup')
    expect(response.headers.get('x-cuttle-channel')).toBe('backup')
    expect(response.headers.get('x-cuttle-attempts')).toBe('2')
    expect(backup.requests[0]?.path).toBe('/v1/chat/completions')
    expect(backup.requests[0]?.body.model).toBe('upstream-b')
  })

  it('fails over when the connection is reset, also for streams', async () => {
    primary.behave(() => ({ kind: 'reset' }))
    const stream = await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }], stream: true })
    let text = ''
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? ''
    expect(text).toBe('from backup')
  })

  it('returns an upstream 400 at once without trying another channel', async () => {
    primary.behave(() => ({ kind: 'status', status: 400, body: { error: { message: 'context_length_exceeded', type: 'invalid_request_error', code: 'context_length_exceeded' } } }))
    const err = await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(OpenAI.BadRequestError)
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('context_length_exceeded')
    expect(backup.requests).toHaveLength(0)
  })

  it('answers 502 in OpenAI format when every member fails, without leaking provider keys', async () => {
    primary.behave(() => ({ kind: 'status', status: 500, body: { error: { message: 'bad key sk-primary-secret-0001' } } }))
    backup.behave(() => ({ kind: 'status', status: 502, body: 'gateway down' }))
    const res = await fetch(`${cuttle.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${clientKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] })
    })
    const text = await res.text()
    expect(res.status).toBe(502)
    const body = JSON.parse(text) as { error: { message: string } }
    expect(body).toMatchObject({ error: { type: 'server_error', code: 'upstream_error' } })
    expect(body.error.message).toContain('All 2 attempt(s) for "smart" failed; last: backup: HTTP 502: gateway down')
    expect(text).not.toContain('sk-primary-secret-0001')
  })

  it('ends a stream that dies upstream with an error chunk the SDK raises', async () => {
    primary.behave(() => ({ kind: 'die-mid-stream', text: 'partial' }))
    const stream = await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }], stream: true })
    let text = ''
    const err = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? ''
    })().catch((e: unknown) => e)
    expect(text).toBe('partial')
    expect(err).toBeInstanceOf(OpenAI.APIError)
    expect(String((err as Error).message)).toContain('upstream stream failed')
    expect(backup.requests).toHaveLength(0)
  })

  it('aborts a silent upstream stream within 200 ms when the client disconnects', async () => {
    // One chunk, then seconds of silence (a model thinking): the abort must not wait for the next chunk.
    primary.behave(() => ({ kind: 'slow-stream', count: 3, intervalMs: 5000 }))
    const controller = new AbortController()
    const res = await fetch(`${cuttle.url}/v1/chat/completions`, {
      method: 'POST',
      signal: controller.signal,
      headers: { authorization: `Bearer ${clientKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'smart', messages: [{ role: 'user', content: 'hi' }], stream: true })
    })
    const reader = res.body?.getReader()
    await reader?.read()
    const closesBefore = primary.socketCloses.length
    const abortedAt = Date.now()
    controller.abort()
    const deadline = Date.now() + 1000
    while (primary.socketCloses.length === closesBefore && Date.now() < deadline) await new Promise(r => setTimeout(r, 5))
    const closedAt = primary.socketCloses.at(-1) ?? Infinity
    expect(closedAt - abortedAt).toBeLessThan(200)
  })

  it('records usage and a log row with the attempts after the flush', async () => {
    primary.behave(() => ({ kind: 'status', status: 500, body: { error: { message: 'boom' } } }))
    backup.behave(() => ({ kind: 'reply', usage: { prompt: 100, completion: 7, cached: 40 } }))
    await cuttle.core.flusher.flush()
    const before = await cuttle.core.repos.requestLogs.count()
    await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'count me' }] })
    await cuttle.core.flusher.flush()
    expect(await cuttle.core.repos.requestLogs.count()).toBe(before + 1)
    const [row] = await cuttle.core.repos.requestLogs.list(1)
    expect(row).toMatchObject({ requestedModel: 'smart', upstreamModel: 'upstream-b', status: 200, inputTokens: 60, cacheReadTokens: 40, outputTokens: 7 })
    expect(row?.attempts.map(a => [a.channelName, a.status, a.outcome])).toEqual([
      ['primary', 500, 'retry'],
      ['backup', 200, 'ok']
    ])
    expect(row?.attempts[0]?.reason).toContain('boom')
  })
})
