import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestCore, type TestCore } from '../../testing/test-core'
import { createTestDatabase, type TestDatabase } from '../../testing/test-db'

/** A provider that answers count endpoints with 42 tokens, or with 500 when `failing` is set. */
async function countingProvider(): Promise<{ server: Server; url: string; paths: string[]; bodies: unknown[]; fail: (on: boolean) => void }> {
  const paths: string[] = []
  const bodies: unknown[] = []
  let failing = false
  const server = createServer((req, res) => {
    const parts: Buffer[] = []
    req.on('data', (c: Buffer) => parts.push(c))
    req.on('end', () => {
      paths.push(req.url ?? '')
      bodies.push(JSON.parse(Buffer.concat(parts).toString('utf8')))
      if (failing) return void res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"count broke"}}')
      const url = req.url ?? ''
      const body = url.includes(':countTokens') ? { totalTokens: 42 } : url.includes('input_tokens') ? { object: 'response.input_tokens', input_tokens: 42 } : { input_tokens: 42 }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, paths, bodies, fail: on => (failing = on) }
}

let db: TestDatabase
let cuttle: TestCore
let provider: Awaited<ReturnType<typeof countingProvider>>
let key: string
let anthropicChannel: number

beforeAll(async () => {
  db = await createTestDatabase('sqlite')
  provider = await countingProvider()
  cuttle = await startTestCore(db)
  const add = async (name: string, type: string, model: string): Promise<number> =>
    ((await cuttle.admin('POST', '/channels', { name, type, baseUrls: [provider.url], keys: [`sk-${name}-key-000`], models: [model] })).body as { id: number }).id
  await add('chat', 'openai-chat', 'only-chat')
  anthropicChannel = await add('claude', 'anthropic', 'claude-x')
  await add('responses', 'openai-responses', 'resp-x')
  await add('gem', 'gemini', 'gem-x')
  key = ((await cuttle.admin('POST', '/api-keys', { name: 'k' })).body as { key: string }).key
})

afterAll(async () => {
  await cuttle.stop()
  provider.server.close()
  await db.destroy()
})

async function post(path: string, body: unknown, headers: Record<string, string> = { 'x-api-key': key }): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${cuttle.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers }
}

const hello = { messages: [{ role: 'user', content: 'Hello world' }] }

describe('token counting', () => {
  it('§4 #22: count_tokens for a model with no Anthropic channel is estimated with a real tokenizer, not a 404', async () => {
    const r = await post('/v1/messages/count_tokens?beta=true', { model: 'only-chat', ...hello })
    expect(r.status).toBe(200)
    // o200k_base: "Hello world" is 2 tokens, plus 4 for the message framing.
    expect(r.body).toEqual({ input_tokens: 6 })
    expect(r.headers.get('x-cuttle-token-estimate')).toBe('o200k_base')
    const longer = await post('/v1/messages/count_tokens', {
      model: 'only-chat',
      system: 'You are terse.',
      tools: [{ name: 'get_weather', description: 'Weather of a city', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
      ...hello
    })
    expect(longer.body.input_tokens).toBeGreaterThan(20)
  })

  it('asks an Anthropic channel when the group has one, with its model name', async () => {
    const before = provider.paths.length
    const r = await post('/v1/messages/count_tokens', { model: 'claude-x', ...hello })
    expect(r.body).toEqual({ input_tokens: 42 })
    expect(r.headers.get('x-cuttle-channel')).toBe('claude')
    expect(provider.paths.slice(before)).toEqual(['/v1/messages/count_tokens'])
    expect(provider.bodies.at(-1)).toMatchObject({ model: 'claude-x', messages: hello.messages })
  })

  it('falls back to the estimate when the channel fails, and never cools it', async () => {
    provider.fail(true)
    try {
      const r = await post('/v1/messages/count_tokens', { model: 'claude-x', ...hello })
      expect(r.status).toBe(200)
      expect(r.body).toEqual({ input_tokens: 6 })
      const channel = (await cuttle.admin('GET', `/channels/${anthropicChannel}`)).body as { health: { status: string } }
      expect(channel.health.status).toBe('healthy')
    } finally {
      provider.fail(false)
    }
  })

  it('answers Responses input_tokens and Gemini countTokens in their shapes', async () => {
    const responses = await post('/v1/responses/input_tokens', { model: 'resp-x', input: 'Hello world' }, { authorization: `Bearer ${key}` })
    expect(responses.body).toEqual({ object: 'response.input_tokens', input_tokens: 42 })
    const gemini = await post('/v1beta/models/gem-x:countTokens', { contents: [{ role: 'user', parts: [{ text: 'Hello world' }] }] }, { 'x-goog-api-key': key })
    expect(gemini.body).toEqual({ totalTokens: 42 })
    expect(provider.paths.at(-1)).toBe('/v1beta/models/gem-x:countTokens')
    const estimated = await post('/v1beta/models/only-chat:countTokens', { contents: [{ role: 'user', parts: [{ text: 'Hello world' }] }] }, { 'x-goog-api-key': key })
    expect(estimated.body).toEqual({ totalTokens: 6 })
  })

  it('refuses an unknown model in the client\'s own error format', async () => {
    const r = await post('/v1/messages/count_tokens', { model: 'nope', ...hello })
    expect(r.status).toBe(404)
    expect(r.body).toMatchObject({ type: 'error', error: { type: 'not_found_error' } })
  })
})
