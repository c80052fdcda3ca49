import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { startFakeOpenAi, type FakeBehavior, type FakeOpenAiUpstream } from '../../testing/fake-openai-upstream'
import { startTestCore, type TestCore } from '../../testing/test-core'
import { createTestDatabase, testDatabaseClients, type TestDatabase } from '../../testing/test-db'

const Created = z.object({ id: z.number() })
const KeyCreated = z.object({ key: z.string() })

/**
 * The acceptance test: requests through the relay to a fake upstream with scripted usage
 * are costed with a user price (per 1M tokens: input $3, output $15, cache read $0.30, cache write
 * $3.75), and the log rows and hourly sums hold exactly the costs worked out by hand below.
 */
describe.each(testDatabaseClients())('cost accounting on %s', client => {
  let db: TestDatabase
  let upstream: FakeOpenAiUpstream
  let cuttle: TestCore
  let clientKey = ''
  let channelId = 0

  beforeAll(async () => {
    db = await createTestDatabase(client)
    upstream = await startFakeOpenAi()
    cuttle = await startTestCore(db)
    const create = async <T>(path: string, body: unknown, schema: z.ZodType<T>): Promise<T> => {
      const reply = await cuttle.admin('POST', path, body)
      expect(reply.status, JSON.stringify(reply.body)).toBe(201)
      return schema.parse(reply.body)
    }
    const models = ['house-sonnet', 'mystery-model']
    channelId = (await create('/channels', { name: 'costed', type: 'openai-chat', baseUrls: [upstream.url], keys: ['sk-costed-000000000001'], models }, Created)).id
    await create('/prices', { model: 'house-sonnet', input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 }, Created)
    clientKey = (await create('/api-keys', { name: 'cost-client' }, KeyCreated)).key
  })

  afterAll(async () => {
    await cuttle?.stop()
    await upstream?.close()
    await db?.destroy()
  })

  /** Sends one chat request answered as `behaviour` says; resolves to its request id and status. */
  async function chat(model: string, behaviour: FakeBehavior, stream = false): Promise<{ id: string; status: number }> {
    upstream.behave(() => behaviour)
    const res = await fetch(`${cuttle.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${clientKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'price me' }] })
    })
    await res.text()
    return { id: res.headers.get('x-cuttle-request-id') ?? '', status: res.status }
  }

  const logOf = async (requestId: string): Promise<Record<string, unknown>> =>
    (await cuttle.core.db('request_logs').where({ request_id: requestId }).first()) as Record<string, unknown>

  it('logs each request with its hand-computed cost, sums them per hour, and counts the unpriced one', async () => {
    // 1) 1 000 prompt, 200 completion: 1000×3 + 200×15 = 6 000 µ$ = $0.006
    const plain = await chat('house-sonnet', { kind: 'reply', usage: { prompt: 1_000, completion: 200 } })
    // 2) streamed, 12 000 prompt of which 10 000 cached, 800 completion:
    //    2000×3 + 10000×0.3 + 800×15 = 6 000 + 3 000 + 12 000 = 21 000 µ$ = $0.021
    const cached = await chat('house-sonnet', { kind: 'reply', usage: { prompt: 12_000, completion: 800, cached: 10_000 } }, true)
    // 3) 50 000 prompt = 5 000 plain + 20 000 cache reads + 25 000 cache writes, 1 500 completion:
    //    5000×3 + 20000×0.3 + 25000×3.75 + 1500×15 = 15 000 + 6 000 + 93 750 + 22 500 = 137 250 µ$ = $0.13725
    const written = await chat('house-sonnet', { kind: 'reply', usage: { prompt: 50_000, completion: 1_500, cached: 20_000, cacheWrite: 25_000 } })
    // 4) the upstream refuses the request: no tokens, so no cost ($0, not unknown).
    const refused = await chat('house-sonnet', { kind: 'status', status: 400, body: { error: { message: 'bad request', type: 'invalid_request_error' } } })
    // 5) a model nobody priced (models.dev does not list it either): cost unknown.
    const unpriced = await chat('mystery-model', { kind: 'reply', usage: { prompt: 500, completion: 50 } })
    expect([plain, cached, written, refused, unpriced].map(r => r.status)).toEqual([200, 200, 200, 400, 200])
    await cuttle.core.flusher.flush()

    const cost = async (r: { id: string }): Promise<number | null> => {
      const value = (await logOf(r.id)).cost
      return value === null ? null : Number(value)
    }
    expect(await cost(plain)).toBeCloseTo(0.006, 12)
    expect(await cost(cached)).toBeCloseTo(0.021, 12)
    expect(await cost(written)).toBeCloseTo(0.13725, 12)
    expect(await cost(refused)).toBe(0)
    expect(await cost(unpriced)).toBeNull()
    expect(await logOf(written.id)).toMatchObject({ input_tokens: 5_000, cache_read_tokens: 20_000, cache_write_tokens: 25_000, output_tokens: 1_500 })

    const hourly = (await cuttle.core.db('usage_hourly').where({ channel_id: channelId }).orderBy('upstream_model')) as Array<Record<string, unknown>>
    expect(
      hourly.map(row => ({
        model: row.upstream_model,
        requests: Number(row.requests),
        failures: Number(row.failures),
        unpriced: Number(row.unpriced_requests),
        input: Number(row.input_tokens),
        cacheRead: Number(row.cache_read_tokens),
        cacheWrite: Number(row.cache_write_tokens),
        output: Number(row.output_tokens)
      }))
    ).toEqual([
      // Plain input: 1 000 + 2 000 + 5 000; cache reads 10 000 + 20 000; output 200 + 800 + 1 500.
      { model: 'house-sonnet', requests: 4, failures: 1, unpriced: 0, input: 8_000, cacheRead: 30_000, cacheWrite: 25_000, output: 2_500 },
      { model: 'mystery-model', requests: 1, failures: 0, unpriced: 1, input: 500, cacheRead: 0, cacheWrite: 0, output: 50 }
    ])
    // $0.006 + $0.021 + $0.13725 + $0 = $0.16425; the unpriced request adds nothing (and says so above).
    expect(Number(hourly[0]?.cost)).toBeCloseTo(0.16425, 12)
    expect(Number(hourly[1]?.cost)).toBe(0)
  })

  it('costs with the price of the moment: a price change applies to the next request', async () => {
    const changed = await cuttle.admin('POST', '/prices', { model: 'mystery-model', input: 1, output: 2 })
    expect(changed.status).toBe(201)
    // 500×1 + 50×2 = 600 µ$
    const now = await chat('mystery-model', { kind: 'reply', usage: { prompt: 500, completion: 50 } })
    await cuttle.core.flusher.flush()
    expect(Number((await logOf(now.id)).cost)).toBeCloseTo(0.0006, 12)
  })
})
