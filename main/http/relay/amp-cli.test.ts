import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHANNEL_TYPES, type ChannelType } from '@shared/constants/protocol'
import { startFakeProvider, type FakeProvider } from '../../testing/fake-provider'
import { startTestCore, type TestCore } from '../../testing/test-core'
import { createTestDatabase, type TestDatabase } from '../../testing/test-db'

/**
 * Amp CLI pointed at Cuttle (`AMP_URL=<cuttle>/amp`): its model calls are served by Cuttle's
 * channels, everything else reaches a fake Amp management server unchanged.
 */
const AMP_TOKEN = 'sgamp_user_token'

interface SeenManagement {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}

/** A stand-in for ampcode.com: records requests; `/api/stream` holds its second event until released. */
async function startFakeAmp(): Promise<{ url: string; seen: SeenManagement[]; releaseStream: () => void; close: () => Promise<void> }> {
  const seen: SeenManagement[] = []
  let release = (): void => undefined
  const server: Server = createServer((req, res) => {
    const parts: Buffer[] = []
    req.on('data', (chunk: Buffer) => parts.push(chunk))
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(parts).toString('utf8') })
      if (req.url === '/api/stream') {
        res.writeHead(200, { 'content-type': 'text/event-stream' })
        res.write('data: one\n\n')
        release = () => res.end('data: two\n\n')
        return
      }
      res.writeHead(203, { 'content-type': 'application/json', 'x-amp-test': 'yes', 'set-cookie': ['a=1', 'b=2'] })
      res.end(JSON.stringify({ user: 'amp-user' }))
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    releaseStream: () => release(),
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  }
}

let db: TestDatabase
let provider: FakeProvider
let amp: Awaited<ReturnType<typeof startFakeAmp>>
let cuttle: TestCore
let key: string
const channelIds = new Map<ChannelType, number>()
const modelOf = (type: ChannelType): string => `amp-${type}`

beforeAll(async () => {
  db = await createTestDatabase('sqlite')
  provider = await startFakeProvider()
  amp = await startFakeAmp()
  cuttle = await startTestCore(db, { CUTTLE_AMP_UPSTREAM_URL: amp.url })
  for (const type of CHANNEL_TYPES) {
    const made = await cuttle.admin('POST', '/channels', { name: `ch-${type}`, type, baseUrls: [provider.url], keys: [`sk-${type}`], models: [modelOf(type)] })
    expect(made.status).toBe(201)
    channelIds.set(type, (made.body as { id: number }).id)
  }
  const made = await cuttle.admin('POST', '/api-keys', { name: 'amp' })
  expect(made.status).toBe(201)
  key = (made.body as { key: string }).key
})

afterAll(async () => {
  await cuttle.stop()
  await amp.close()
  await provider.close()
  await db.destroy()
})

const post = (path: string, headers: Record<string, string>, body: unknown): Promise<Response> =>
  fetch(`${cuttle.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })

/** The request log rows written so far for `model`. */
async function loggedFor(model: string): Promise<Array<{ client_protocol: string; channel_id: number; status: number; stream: number | boolean }>> {
  await cuttle.core.flusher.flush()
  return cuttle.core.db('request_logs').where({ requested_model: model }).orderBy('id').select('client_protocol', 'channel_id', 'status', 'stream')
}

describe('Amp model calls → Cuttle channels', () => {
  it('/amp/api/provider/anthropic/v1/messages, plain and streamed, with the key as x-api-key', async () => {
    const body = { model: modelOf('anthropic'), max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }
    const plain = await post('/amp/api/provider/anthropic/v1/messages', { 'x-api-key': key, 'anthropic-version': '2023-06-01' }, body)
    expect(plain.status).toBe(200)
    expect(plain.headers.get('x-cuttle-channel')).toBe('ch-anthropic')
    expect(((await plain.json()) as { content: Array<{ text: string }> }).content[0]?.text).toBe('OK')
    const streamed = await post('/amp/api/provider/anthropic/v1/messages', { 'x-api-key': key }, { ...body, stream: true })
    expect(streamed.headers.get('content-type')).toContain('text/event-stream')
    expect(await streamed.text()).toContain('message_stop')
    expect(provider.requests.filter(r => r.protocol === 'anthropic' && r.kind === 'generate').map(r => r.stream)).toEqual([false, true])
    const logs = await loggedFor(modelOf('anthropic'))
    expect(logs.map(row => [row.client_protocol, row.channel_id, row.status, Boolean(row.stream)])).toEqual([
      ['anthropic', channelIds.get('anthropic'), 200, false],
      ['anthropic', channelIds.get('anthropic'), 200, true]
    ])
  })

  it('/amp/api/provider/anthropic/v1/messages/count_tokens is Cuttle count endpoint', async () => {
    const answer = await post('/amp/api/provider/anthropic/v1/messages/count_tokens', { 'x-api-key': key }, { model: modelOf('anthropic'), messages: [{ role: 'user', content: 'hi' }] })
    expect(answer.status).toBe(200)
    expect(typeof ((await answer.json()) as { input_tokens: unknown }).input_tokens).toBe('number')
  })

  it('/amp/api/provider/openai/v1/chat/completions, plain and streamed, with the key as Bearer', async () => {
    const body = { model: modelOf('openai-chat'), messages: [{ role: 'user', content: 'hi' }] }
    const plain = await post('/amp/api/provider/openai/v1/chat/completions', { authorization: `Bearer ${key}` }, body)
    expect(plain.status).toBe(200)
    expect(((await plain.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content).toBe('OK')
    const streamed = await post('/amp/api/provider/openai/v1/chat/completions', { authorization: `Bearer ${key}` }, { ...body, stream: true })
    expect(await streamed.text()).toContain('data: [DONE]')
    const logs = await loggedFor(modelOf('openai-chat'))
    expect(logs.map(row => [row.client_protocol, row.channel_id, row.status])).toEqual([
      ['openai-chat', channelIds.get('openai-chat'), 200],
      ['openai-chat', channelIds.get('openai-chat'), 200]
    ])
  })

  it('/amp/api/provider/openai/v1/responses is served, converted to another channel protocol too', async () => {
    const answer = await post('/amp/api/provider/openai/v1/responses', { authorization: `Bearer ${key}` }, { model: modelOf('anthropic'), input: 'hi' })
    expect(answer.status).toBe(200)
    expect(((await answer.json()) as { object: string }).object).toBe('response')
    const logs = await loggedFor(modelOf('anthropic'))
    expect(logs.at(-1)).toMatchObject({ client_protocol: 'openai-responses', channel_id: channelIds.get('anthropic'), status: 200 })
  })

  it('/amp/api/provider/google/v1beta/models/{model}:generateContent and :streamGenerateContent?alt=sse', async () => {
    const body = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }
    const plain = await post(`/amp/api/provider/google/v1beta/models/${modelOf('gemini')}:generateContent`, { 'x-goog-api-key': key }, body)
    expect(plain.status).toBe(200)
    expect(((await plain.json()) as { candidates: Array<{ content: { parts: Array<{ text: string }> } }> }).candidates[0]?.content.parts[0]?.text).toBe('OK')
    const streamed = await post(`/amp/api/provider/google/v1beta/models/${modelOf('gemini')}:streamGenerateContent?alt=sse`, { 'x-goog-api-key': key }, body)
    expect(streamed.headers.get('content-type')).toContain('text/event-stream')
    expect(await streamed.text()).toContain('"candidates"')
    const logs = await loggedFor(modelOf('gemini'))
    expect(logs.map(row => [row.client_protocol, row.channel_id, row.status, Boolean(row.stream)])).toEqual([
      ['gemini', channelIds.get('gemini'), 200, false],
      ['gemini', channelIds.get('gemini'), 200, true]
    ])
  })

  it('without a Cuttle key each provider path answers 401 in its own format', async () => {
    const anthropic = await post('/amp/api/provider/anthropic/v1/messages', { 'x-api-key': AMP_TOKEN }, { model: modelOf('anthropic'), max_tokens: 10, messages: [] })
    expect(anthropic.status).toBe(401)
    expect(await anthropic.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } })
    const openai = await post('/amp/api/provider/openai/v1/chat/completions', {}, { model: modelOf('openai-chat'), messages: [] })
    expect(openai.status).toBe(401)
    expect(await openai.json()).toMatchObject({ error: { type: expect.any(String) as string, message: expect.any(String) as string } })
    const google = await post(`/amp/api/provider/google/v1beta/models/${modelOf('gemini')}:generateContent`, {}, { contents: [] })
    expect(google.status).toBe(401)
    expect(await google.json()).toMatchObject({ error: { code: 401, status: expect.any(String) as string } })
    expect(amp.seen.filter(seen => seen.url.startsWith('/api/provider/'))).toEqual([])
  })
})

describe('the rest of Amp → the Amp upstream', () => {
  it('GET /amp/api/user keeps method, path, query and the Amp auth header; status, headers and body come back', async () => {
    const answer = await fetch(`${cuttle.url}/amp/api/user?fields=a%20b&x=1`, { headers: { authorization: `Bearer ${AMP_TOKEN}`, 'x-amp-client': 'cli' } })
    expect(answer.status).toBe(203)
    expect(answer.headers.get('x-amp-test')).toBe('yes')
    expect(answer.headers.getSetCookie()).toEqual(['a=1', 'b=2'])
    expect(await answer.json()).toEqual({ user: 'amp-user' })
    const seen = amp.seen.at(-1)
    expect(seen).toMatchObject({ method: 'GET', url: '/api/user?fields=a%20b&x=1', body: '' })
    expect(seen?.headers.authorization).toBe(`Bearer ${AMP_TOKEN}`)
    expect(seen?.headers['x-amp-client']).toBe('cli')
    expect(seen?.headers.host).toBe(new URL(amp.url).host)
  })

  it('a request body is forwarded as sent', async () => {
    const body = JSON.stringify({ thread: 'T-1', messages: ['hi'] })
    const answer = await fetch(`${cuttle.url}/amp/api/threads?sync=1`, { method: 'POST', headers: { 'x-api-key': AMP_TOKEN, 'content-type': 'application/json' }, body })
    expect(answer.status).toBe(203)
    await answer.arrayBuffer()
    expect(amp.seen.at(-1)).toMatchObject({ method: 'POST', url: '/api/threads?sync=1', body })
    expect(amp.seen.at(-1)?.headers['x-api-key']).toBe(AMP_TOKEN)
  })

  it('a Cuttle client key is never sent to the Amp upstream', async () => {
    const answer = await fetch(`${cuttle.url}/amp/api/user`, { headers: { authorization: `Bearer ${key}`, 'x-api-key': key } })
    await answer.arrayBuffer()
    expect(amp.seen.at(-1)?.headers.authorization).toBeUndefined()
    expect(amp.seen.at(-1)?.headers['x-api-key']).toBeUndefined()
  })

  it('with CUTTLE_AMP_API_KEY set, the Cuttle key Amp CLI presents is replaced by the Amp key on the way out', async () => {
    const keyedDb = await createTestDatabase('sqlite')
    const keyed = await startTestCore(keyedDb, { CUTTLE_AMP_UPSTREAM_URL: amp.url, CUTTLE_AMP_API_KEY: 'amp-account-key-0001' })
    try {
      const made = await keyed.admin('POST', '/api-keys', { name: 'amp' })
      const cuttleKey = (made.body as { key: string }).key
      const answer = await fetch(`${keyed.url}/amp/api/threads?limit=2`, { headers: { authorization: `Bearer ${cuttleKey}` } })
      await answer.arrayBuffer()
      expect(amp.seen.at(-1)?.headers.authorization).toBe('Bearer amp-account-key-0001')
      expect(JSON.stringify(amp.seen.at(-1)?.headers)).not.toContain(cuttleKey)
      // A request that already carries the user's own Amp credentials keeps them.
      await (await fetch(`${keyed.url}/amp/api/user`, { headers: { authorization: `Bearer ${AMP_TOKEN}` } })).arrayBuffer()
      expect(amp.seen.at(-1)?.headers.authorization).toBe(`Bearer ${AMP_TOKEN}`)
    } finally {
      await keyed.stop()
      await keyedDb.destroy()
    }
  })

  it('a streamed answer is passed on chunk by chunk', async () => {
    const answer = await fetch(`${cuttle.url}/amp/api/stream`, { headers: { authorization: `Bearer ${AMP_TOKEN}` } })
    expect(answer.headers.get('content-type')).toBe('text/event-stream')
    const reader = (answer.body as ReadableStream<Uint8Array>).getReader()
    const decoder = new TextDecoder()
    // The upstream holds its second event back until the first has reached the client.
    const first = await reader.read()
    expect(decoder.decode(first.value)).toBe('data: one\n\n')
    amp.releaseStream()
    let rest = ''
    for (let part = await reader.read(); !part.done; part = await reader.read()) rest += decoder.decode(part.value)
    expect(rest).toBe('data: two\n\n')
  })

  it('with ampUpstreamUrl off, /amp requests answer 404 JSON saying so; model calls still work', async () => {
    const offDb = await createTestDatabase('sqlite')
    const off = await startTestCore(offDb, { CUTTLE_AMP_UPSTREAM_URL: 'off' })
    try {
      const seenBefore = amp.seen.length
      const answer = await fetch(`${off.url}/amp/api/user`, { headers: { authorization: `Bearer ${AMP_TOKEN}` } })
      expect(answer.status).toBe(404)
      const body = (await answer.json()) as { error: { code: string; message: string } }
      expect(body.error.code).toBe('not_found')
      expect(body.error.message).toContain('CUTTLE_AMP_UPSTREAM_URL')
      expect(amp.seen.length).toBe(seenBefore)
      const model = await fetch(`${off.url}/amp/api/provider/openai/v1/chat/completions`, { method: 'POST', body: '{}' })
      expect(model.status).toBe(401)
    } finally {
      await off.stop()
      await offDb.destroy()
    }
  })
})
