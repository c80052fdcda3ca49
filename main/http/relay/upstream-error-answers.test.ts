import OpenAI, { RateLimitError } from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Protocol } from '../../relay/canonical/request'
import { jsonAnswer, startScriptedUpstream, type ScriptedAnswer, type ScriptedUpstream } from '../../testing/scripted-upstream'
import { startTestCore, type TestCore } from '../../testing/test-core'
import { createTestDatabase, type TestDatabase } from '../../testing/test-db'

/**
 * When every attempt failed, the client hears the last failure in its own protocol's words: a
 * throttle as a rate limit, an Anthropic overload as each protocol says overloaded, and the
 * provider's Retry-After passed on for the statuses that invite a retry.
 */

const anthropicError = (type: string, message: string): unknown => ({ type: 'error', error: { type, message } })

/** One Anthropic channel whose every model fails as its name says. */
const ANSWERS: Record<string, ScriptedAnswer> = {
  'busy-429': jsonAnswer(429, anthropicError('rate_limit_error', 'Number of requests has exceeded your rate limit'), { 'retry-after': '7' }),
  'busy-529': jsonAnswer(529, anthropicError('overloaded_error', 'Overloaded'), { 'retry-after': '3' }),
  'busy-503': jsonAnswer(503, anthropicError('api_error', 'Service unavailable'), { 'retry-after': '11' }),
  'busy-500': jsonAnswer(500, anthropicError('api_error', 'Internal server error'), { 'retry-after': '5' })
}

let db: TestDatabase
let upstream: ScriptedUpstream
let cuttle: TestCore
let key: string

beforeAll(async () => {
  db = await createTestDatabase('sqlite')
  upstream = await startScriptedUpstream(model => ANSWERS[model])
  cuttle = await startTestCore(db)
  await cuttle.admin('POST', '/channels', { name: 'busy', type: 'anthropic', baseUrls: [upstream.url], keys: ['sk-ant-busy-000000001'], models: Object.keys(ANSWERS) })
  key = ((await cuttle.admin('POST', '/api-keys', { name: 'errors' })).body as { key: string }).key
})

afterAll(async () => {
  await cuttle.stop()
  await upstream.close()
  await db.destroy()
})

/** A non-streamed request of `protocol` for `model`: status, retry-after and body. */
async function ask(protocol: Protocol, model: string): Promise<{ status: number; retryAfter: string | null; body: unknown }> {
  const messages = [{ role: 'user', content: 'hi' }]
  const request: Record<Protocol, { path: string; headers: Record<string, string>; body: unknown }> = {
    'openai-chat': { path: '/v1/chat/completions', headers: { authorization: `Bearer ${key}` }, body: { model, messages } },
    'openai-responses': { path: '/v1/responses', headers: { authorization: `Bearer ${key}` }, body: { model, input: 'hi' } },
    anthropic: { path: '/v1/messages', headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' }, body: { model, max_tokens: 64, messages } },
    gemini: { path: `/v1beta/models/${model}:generateContent`, headers: { 'x-goog-api-key': key }, body: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] } }
  }
  const { path, headers, body } = request[protocol]
  const res = await fetch(`${cuttle.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() }
}

/** The error body each protocol's SDK reads for `status`, `type` and `code` (docs/protocols.md §1). */
function errorBody(protocol: Protocol, expected: { openAiType: string; code: string; anthropicType: string; rpc: string; status: number }): Record<string, unknown> {
  if (protocol === 'anthropic') return { type: 'error', error: { type: expected.anthropicType, message: expect.any(String) } }
  if (protocol === 'gemini') return { error: { code: expected.status, status: expected.rpc, message: expect.any(String) } }
  return { error: { type: expected.openAiType, code: expected.code, message: expect.any(String) } }
}

const PROTOCOLS: readonly Protocol[] = ['openai-chat', 'openai-responses', 'anthropic', 'gemini']

describe.each(PROTOCOLS)('%s client, every attempt failed', protocol => {
  it('upstream 429: a 429 rate limit with the provider\'s Retry-After', async () => {
    const r = await ask(protocol, 'busy-429')
    expect([r.status, r.retryAfter]).toEqual([429, '7'])
    expect(r.body).toMatchObject(errorBody(protocol, { openAiType: 'rate_limit_error', code: 'rate_limit_exceeded', anthropicType: 'rate_limit_error', rpc: 'RESOURCE_EXHAUSTED', status: 429 }))
    // Codex and OpenAI's SDKs read a back-off from this phrase.
    expect(JSON.stringify(r.body)).toContain('Please try again in 7s.')
  })

  it('upstream 529: Anthropic clients get 529 overloaded_error, the others 503, with the Retry-After', async () => {
    const r = await ask(protocol, 'busy-529')
    const status = protocol === 'anthropic' ? 529 : 503
    expect([r.status, r.retryAfter]).toEqual([status, '3'])
    expect(r.body).toMatchObject(errorBody(protocol, { openAiType: 'server_error', code: 'upstream_overloaded', anthropicType: 'overloaded_error', rpc: 'UNAVAILABLE', status }))
  })

  it('upstream 503: a 503 with the Retry-After; upstream 500: a 502 without one', async () => {
    const unavailable = await ask(protocol, 'busy-503')
    expect([unavailable.status, unavailable.retryAfter]).toEqual([503, '11'])
    const failed = await ask(protocol, 'busy-500')
    expect([failed.status, failed.retryAfter]).toEqual([502, null])
    expect(failed.body).toMatchObject(errorBody(protocol, { openAiType: 'server_error', code: 'upstream_error', anthropicType: 'api_error', rpc: 'UNKNOWN', status: 502 }))
  })
})

describe('as the OpenAI SDK sees it', () => {
  it('raises RateLimitError for an upstream 429, with the Retry-After it would wait for', async () => {
    const client = new OpenAI({ baseURL: `${cuttle.url}/v1`, apiKey: key, maxRetries: 0 })
    const error: unknown = await client.chat.completions.create({ model: 'busy-429', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RateLimitError)
    const limited = error as RateLimitError
    expect([limited.status, limited.type, limited.code, limited.headers.get('retry-after')]).toEqual([429, 'rate_limit_error', 'rate_limit_exceeded', '7'])
  })
})
