import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { postChat } from '../../testing/chat-traffic'
import { movableClock } from '../../testing/factories'
import { startFakeOpenAi, type FakeBehavior, type FakeOpenAiUpstream } from '../../testing/fake-openai-upstream'
import { startTestCore, type TestCore } from '../../testing/test-core'
import { createTestDatabase, testDatabaseClients, type TestDatabase } from '../../testing/test-db'

const Created = z.object({ id: z.number() })
const KeyCreated = z.object({ id: z.number(), key: z.string() })
const OpenAiError = z.object({ error: z.object({ message: z.string(), type: z.string(), code: z.string() }) })
const AnthropicError = z.object({ type: z.literal('error'), error: z.object({ type: z.string(), message: z.string() }) })

/** 2026-03-31T23:00:00Z: an hour before a new UTC month. */
const START = Date.UTC(2026, 2, 31, 23, 0)
const APRIL = Date.UTC(2026, 3, 1)
const MODEL = 'limited-model'
/** A million prompt tokens at the $3/M price below: exactly $3 a request. */
const THREE_DOLLARS: FakeBehavior = { kind: 'reply', usage: { prompt: 1_000_000, completion: 0 } }

/**
 * Per-key limits on the relay path (DESIGN §4): rpm and tpm in sliding minutes, a monthly budget
 * seeded from and merged with the database, allowed groups; driven by an injected clock.
 */
describe.each(testDatabaseClients())('client key limits on %s', client => {
  let db: TestDatabase
  let upstream: FakeOpenAiUpstream
  let cuttle: TestCore
  const clock = movableClock(START)
  /** When the current case starts. */
  let T0 = START

  async function create<T>(path: string, body: unknown, schema: z.ZodType<T>, on: TestCore = cuttle): Promise<T> {
    const reply = await on.admin('POST', path, body)
    expect(reply.status, JSON.stringify(reply.body)).toBe(201)
    return schema.parse(reply.body)
  }

  const newKey = (name: string, fields: Record<string, unknown> = {}): Promise<z.infer<typeof KeyCreated>> => create('/api-keys', { name, ...fields }, KeyCreated)

  /** One OpenAI Chat request; the body parsed, the status and the retry-after header. */
  async function chat(key: string, options: { on?: TestCore; stream?: boolean } = {}): Promise<{ status: number; body: unknown; retryAfter: string | null; text: string }> {
    const res = await postChat((options.on ?? cuttle).url, key, MODEL, options.stream ? { stream: true, stream_options: { include_usage: true } } : {})
    const text = await res.text()
    return { status: res.status, body: options.stream ? null : (JSON.parse(text) as unknown), retryAfter: res.headers.get('retry-after'), text }
  }

  async function messages(key: string): Promise<{ status: number; body: unknown; retryAfter: string | null }> {
    const res = await fetch(`${cuttle.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] })
    })
    return { status: res.status, body: (await res.json()) as unknown, retryAfter: res.headers.get('retry-after') }
  }

  beforeAll(async () => {
    db = await createTestDatabase(client)
    upstream = await startFakeOpenAi()
    cuttle = await startTestCore(db, {}, { now: clock })
    await create('/channels', { name: 'limited', type: 'openai-chat', baseUrls: [upstream.url], keys: ['sk-limited-000000000001'], models: [MODEL] }, Created)
    await create('/prices', { model: MODEL, input: 3, output: 15 }, Created)
  })

  afterAll(async () => {
    await cuttle?.stop()
    await upstream?.close()
    await db?.destroy()
  })

  beforeEach(() => {
    // Time only moves forward, as it does for a relay: two minutes on, no window holds anything of the last case.
    T0 = clock() + 120_000
    clock.set(T0)
    upstream.behave(() => ({ kind: 'reply' }))
  })

  it('refuses the request past rpm with 429 in OpenAI Chat format and retry-after, and admits again after the window', async () => {
    const { key } = await newKey('laptop', { limits: { rpm: 2 } })
    expect((await chat(key)).status).toBe(200)
    clock.set(T0 + 15_000)
    expect((await chat(key)).status).toBe(200)
    const sent = upstream.requests.length
    clock.set(T0 + 20_000)
    const refused = await chat(key)
    expect(refused.status).toBe(429)
    expect(OpenAiError.parse(refused.body).error).toEqual({
      message: "API key 'laptop' is over its limit of 2 requests per minute. Please try again in 40s.",
      type: 'rate_limit_error',
      code: 'rate_limit_exceeded'
    })
    // The first request leaves the window 60 s after it came, 40 s from now.
    expect(refused.retryAfter).toBe('40')
    expect(upstream.requests).toHaveLength(sent)
    clock.set(T0 + 60_000)
    expect((await chat(key)).status).toBe(200)
    expect((await chat(key)).status).toBe(429)
  })

  it('refuses the request past rpm in Anthropic format too', async () => {
    const { key } = await newKey('claude-laptop', { limits: { rpm: 1 } })
    expect((await messages(key)).status).toBe(200)
    const refused = await messages(key)
    expect(refused.status).toBe(429)
    expect(AnthropicError.parse(refused.body)).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: "API key 'claude-laptop' is over its limit of 1 requests per minute. Please try again in 60s." }
    })
    expect(refused.retryAfter).toBe('60')
    clock.set(T0 + 60_000)
    expect((await messages(key)).status).toBe(200)
  })

  it('refuses once the tokens of finished requests (streamed ones too) fill the minute', async () => {
    const { key } = await newKey('tokens', { limits: { tpm: 1_000 } })
    upstream.behave(() => ({ kind: 'reply', usage: { prompt: 500, completion: 100 } }))
    expect((await chat(key)).status).toBe(200)
    clock.set(T0 + 5_000)
    const streamed = await chat(key, { stream: true })
    expect(streamed.status).toBe(200)
    expect(streamed.text).toContain('"prompt_tokens":500')
    // 600 + 600 tokens ≥ 1 000; dropping the first 600 (at T0) gets below it at T0+60 s.
    clock.set(T0 + 10_000)
    const refused = await chat(key)
    expect(refused.status).toBe(429)
    expect(OpenAiError.parse(refused.body).error).toMatchObject({ code: 'rate_limit_exceeded', message: "API key 'tokens' is over its limit of 1000 tokens per minute. Please try again in 50s." })
    expect(refused.retryAfter).toBe('50')
    clock.set(T0 + 60_000)
    expect((await chat(key)).status).toBe(200)
  })

  it('refuses a key that spent its monthly budget, with a second instance on the same database seeing the spend, until a new month', async () => {
    const { key } = await newKey('budget', { limits: { monthlyBudgetUsd: 5 } })
    upstream.behave(() => THREE_DOLLARS)
    expect((await chat(key)).status).toBe(200)
    expect((await chat(key)).status).toBe(200)
    const refused = await chat(key)
    expect(refused.status).toBe(429)
    expect(OpenAiError.parse(refused.body).error).toEqual({ message: "API key 'budget' has spent its monthly budget of $5.00.", type: 'rate_limit_error', code: 'insufficient_quota' })
    expect(refused.retryAfter).toBeNull()

    // A restart (here: a second core on the same database) starts from the spend written so far.
    await cuttle.core.flusher.flush()
    const second = await startTestCore(db, {}, { now: clock })
    try {
      const seeded = await chat(key, { on: second })
      expect(seeded.status).toBe(429)
      expect(OpenAiError.parse(seeded.body).error.code).toBe('insufficient_quota')

      // A new UTC month starts from zero on both.
      clock.set(APRIL + 1_000)
      expect((await chat(key)).status).toBe(200)
      expect((await chat(key, { on: second })).status).toBe(200)
    } finally {
      await second.stop()
    }
  })

  it('lets two running instances converge on a key’s spend through the periodic refresh', async () => {
    const { key } = await newKey('shared', { limits: { monthlyBudgetUsd: 5 } })
    const second = await startTestCore(db, {}, { now: clock })
    try {
      upstream.behave(() => THREE_DOLLARS)
      expect((await chat(key)).status).toBe(200)
      expect((await chat(key, { on: second })).status).toBe(200)
      // Each saw $3 of its own: below $5 until each learns the other's spend.
      await cuttle.core.flusher.flush()
      await second.core.flusher.flush()
      await cuttle.core.spendSync.refresh()
      await second.core.spendSync.refresh()
      expect((await chat(key)).status).toBe(429)
      expect((await chat(key, { on: second })).status).toBe(429)
    } finally {
      await second.stop()
    }
  })

  it('applies limits edited through the admin API to the next request', async () => {
    const { id, key } = await newKey('edited')
    expect((await chat(key)).status).toBe(200)
    expect((await cuttle.admin('PATCH', `/api-keys/${id}`, { limits: { rpm: 1 } })).status).toBe(200)
    expect((await chat(key)).status).toBe(200)
    expect((await chat(key)).status).toBe(429)
    expect((await cuttle.admin('PATCH', `/api-keys/${id}`, { limits: {} })).status).toBe(200)
    expect((await chat(key)).status).toBe(200)
  })

  it('refuses a model outside the key’s allowed groups with 403 naming the key', async () => {
    const { key } = await newKey('narrow', { allowedGroups: ['some-other-group'] })
    const refused = await chat(key)
    expect(refused.status).toBe(403)
    expect(OpenAiError.parse(refused.body).error).toEqual({
      message: `API key 'narrow' may not use model "${MODEL}": it is not among the key's allowed groups.`,
      type: 'permission_error',
      code: 'model_not_allowed'
    })
  })

  it('never refuses a key without limits, however much it sends and spends', async () => {
    const { key } = await newKey('unlimited')
    upstream.behave(() => THREE_DOLLARS)
    const statuses = await Promise.all(Array.from({ length: 40 }, () => chat(key).then(r => r.status)))
    expect(statuses.every(s => s === 200)).toBe(true)
    await cuttle.core.flusher.flush()
    await cuttle.core.spendSync.refresh()
    expect((await chat(key)).status).toBe(200)
  })
})
