import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeOpenAi, type FakeOpenAiUpstream } from '../../testing/fake-openai-upstream'
import { startTestCore, type TestCore } from '../../testing/test-core'
import { createTestDatabase, type TestDatabase } from '../../testing/test-db'

const LIMIT = 4096
let db: TestDatabase
let cuttle: TestCore
let upstream: FakeOpenAiUpstream
let key: string

beforeAll(async () => {
  db = await createTestDatabase('sqlite')
  upstream = await startFakeOpenAi()
  cuttle = await startTestCore(db, { CUTTLE_BODY_LIMIT_BYTES: String(LIMIT) })
  await cuttle.admin('POST', '/channels', { name: 'c', type: 'openai-chat', baseUrls: [upstream.url], keys: ['sk-test-key-000000'], models: ['gpt-x'] })
  key = ((await cuttle.admin('POST', '/api-keys', { name: 'k' })).body as { key: string }).key
})

afterAll(async () => {
  await cuttle.stop()
  await upstream.close()
  await db.destroy()
})

async function post(body: string, headers: Record<string, string> = { authorization: `Bearer ${key}` }): Promise<{ status: number; error: { message: string; type: string; code: string } }> {
  const res = await fetch(`${cuttle.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })
  const parsed = (await res.json()) as { error: { message: string; type: string; code: string } }
  return { status: res.status, error: parsed.error }
}

const valid = JSON.stringify({ model: 'gpt-x', messages: [{ role: 'user', content: 'hi' }] })

describe('bad input on the relay gets a clear OpenAI-format error and writes nothing', () => {
  it('invalid JSON → 400', async () => {
    const r = await post('{"model": "gpt-x", "messages": [')
    expect(r.status).toBe(400)
    expect(r.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_json' })
    expect(r.error.message).toMatch(/^Request body is not valid JSON/)
  })

  it('wrong field types → 400 naming the fields', async () => {
    const r = await post(JSON.stringify({ model: 42, messages: 'hi', stream: 'yes' }))
    expect(r.status).toBe(400)
    expect(r.error.code).toBe('invalid_request')
    for (const field of ['model', 'messages', 'stream']) expect(r.error.message).toContain(`${field}:`)
  })

  it('a JSON array body → 400', async () => {
    const r = await post('[1,2]')
    expect(r.status).toBe(400)
    expect(r.error.message).toBe('Request body must be a JSON object.')
  })

  it('missing key → 401 naming the header forms', async () => {
    const r = await post(valid, {})
    expect(r.status).toBe(401)
    expect(r.error).toMatchObject({ type: 'authentication_error', code: 'missing_api_key' })
    expect(r.error.message).toContain('x-api-key')
  })

  it('wrong key → 401 in every header form', async () => {
    const forms: Array<Record<string, string>> = [{ authorization: 'Bearer ck-wrong' }, { 'x-api-key': 'ck-wrong' }, { 'x-goog-api-key': 'ck-wrong' }]
    for (const headers of forms) {
      const r = await post(valid, headers)
      expect(r.status).toBe(401)
      expect(r.error.code).toBe('invalid_api_key')
    }
  })

  it('accepts the key in every header form and in ?key=', async () => {
    const forms: Array<Record<string, string>> = [{ authorization: `Bearer ${key}` }, { 'x-api-key': key }, { 'x-goog-api-key': key }]
    for (const headers of forms) {
      const res = await fetch(`${cuttle.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: valid })
      expect(res.status).toBe(200)
    }
    const res = await fetch(`${cuttle.url}/v1/chat/completions?key=${encodeURIComponent(key)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: valid })
    expect(res.status).toBe(200)
  })

  it('unknown model → 404 naming the model', async () => {
    const r = await post(JSON.stringify({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }))
    expect(r.status).toBe(404)
    expect(r.error.code).toBe('model_not_found')
    expect(r.error.message).toContain('"no-such-model"')
  })

  it('body above the limit → 413', async () => {
    const big = JSON.stringify({ model: 'gpt-x', messages: [{ role: 'user', content: 'x'.repeat(LIMIT) }] })
    const r = await post(big)
    expect(r.status).toBe(413)
    expect(r.error.code).toBe('payload_too_large')
    expect(r.error.message).toContain(String(LIMIT))
  })

  it('none of the rejected requests reached the upstream or the database', async () => {
    const accepted = upstream.requests.length
    await post('{')
    await post(valid, {})
    await post(JSON.stringify({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }))
    expect(upstream.requests.length).toBe(accepted)
    await cuttle.core.flusher.flush()
    const logs = await cuttle.core.repos.requestLogs.list(100)
    // Only the four accepted requests of the header-forms test were logged.
    expect(logs.map(l => l.status)).toEqual([200, 200, 200, 200])
  })

  it('GET /v1/models lists the models the key may use, in OpenAI shape', async () => {
    const res = await fetch(`${cuttle.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } })
    expect(await res.json()).toEqual({ object: 'list', data: [{ id: 'gpt-x', object: 'model', created: 0, owned_by: 'cuttle' }] })
    const denied = await fetch(`${cuttle.url}/v1/models`)
    expect(denied.status).toBe(401)
  })
})
