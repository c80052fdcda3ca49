import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeProvider, type FakeProvider } from '../testing/fake-provider'
import { startTestCore, type TestCore } from '../testing/test-core'
import { createTestDatabase, type TestDatabase } from '../testing/test-db'

type Protocol = 'openai-chat' | 'openai-responses' | 'anthropic' | 'gemini'

/** Each client endpoint, with the model it names: served by a channel of another protocol, so every body is converted. */
const ENDPOINTS: readonly { protocol: Protocol; path: string; model: string }[] = [
  { protocol: 'openai-chat', path: '/v1/chat/completions', model: 'via-anthropic' },
  { protocol: 'openai-responses', path: '/v1/responses', model: 'via-gemini' },
  { protocol: 'anthropic', path: '/v1/messages', model: 'via-chat' },
  { protocol: 'gemini', path: '/v1beta/models/via-responses:generateContent', model: 'via-responses' }
]
const CHANNELS: readonly { type: Protocol; model: string }[] = [
  { type: 'openai-chat', model: 'via-chat' },
  { type: 'openai-responses', model: 'via-responses' },
  { type: 'anthropic', model: 'via-anthropic' },
  { type: 'gemini', model: 'via-gemini' }
]

let db: TestDatabase
let provider: FakeProvider
let cuttle: TestCore
let clientKey: string

beforeAll(async () => {
  db = await createTestDatabase('sqlite')
  provider = await startFakeProvider()
  cuttle = await startTestCore(db)
  for (const c of CHANNELS) {
    await cuttle.admin('POST', '/channels', { name: `ch-${c.type}`, type: c.type, baseUrls: [provider.url], keys: [`sk-prop-${c.type}-000000`], models: [c.model] })
  }
  clientKey = ((await cuttle.admin('POST', '/api-keys', { name: 'props' })).body as { key: string }).key
})
afterAll(async () => {
  await cuttle.stop()
  await provider.close()
  await db.destroy()
})

/** Posts raw text to an endpoint with the key each protocol's SDK sends. */
async function post(path: string, body: string): Promise<{ status: number; contentType: string; text: string }> {
  const res = await fetch(`${cuttle.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${clientKey}`, 'x-goog-api-key': clientKey },
    body
  })
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() }
}

/** The error shape of each protocol (docs/protocols.md §1). */
function isProtocolError(protocol: Protocol, status: number, text: string): boolean {
  let body: { type?: unknown; error?: { message?: unknown; type?: unknown; code?: unknown; status?: unknown } }
  try {
    body = JSON.parse(text) as typeof body
  } catch {
    return false
  }
  const e = body.error
  if (typeof e?.message !== 'string' || e.message === '') return false
  if (protocol === 'anthropic') return body.type === 'error' && typeof e.type === 'string'
  if (protocol === 'gemini') return e.code === status && typeof e.status === 'string'
  return typeof e.type === 'string'
}

/** Whatever the body, the answer is below 500, and an error is in the endpoint's own shape. */
async function checkAnswer(protocol: Protocol, path: string, body: string, refused: boolean): Promise<void> {
  const r = await post(path, body)
  expect(r.status, `${path} ${body.slice(0, 200)} → ${r.text.slice(0, 200)}`).toBeLessThan(500)
  if (refused) expect(r.status, `${path} ${body.slice(0, 200)}`).toBeGreaterThanOrEqual(400)
  if (r.status >= 400) expect(isProtocolError(protocol, r.status, r.text), r.text.slice(0, 300)).toBe(true)
  else expect(r.contentType).toMatch(/^(application\/json|text\/event-stream)/)
}

/** A JSON value; objects sometimes carry the endpoint's fields with arbitrary values. */
const jsonArb = fc.jsonValue({ maxDepth: 4 })

describe.each(ENDPOINTS)('$path with arbitrary bodies', ({ protocol, path, model }) => {
  it('arbitrary JSON values → 4xx in the protocol\'s shape, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(jsonArb, async value => checkAnswer(protocol, path, JSON.stringify(value), true)),
      { numRuns: 200 }
    )
  })

  it('arbitrary strings (mostly not JSON) → 4xx in the protocol\'s shape', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async text => checkAnswer(protocol, path, text, true)),
      { numRuns: 100 }
    )
  })

  it('a routable model with arbitrary other fields is refused or converted, never a 5xx', async () => {
    const fieldsArb = fc.dictionary(
      fc.constantFrom('messages', 'input', 'contents', 'system', 'instructions', 'tools', 'tool_choice', 'max_tokens', 'temperature', 'metadata'),
      jsonArb,
      { maxKeys: 5 }
    )
    await fc.assert(
      fc.asyncProperty(fieldsArb, async fields => checkAnswer(protocol, path, JSON.stringify({ ...fields, model, max_tokens: 16 }), false)),
      { numRuns: 200 }
    )
  })
})
