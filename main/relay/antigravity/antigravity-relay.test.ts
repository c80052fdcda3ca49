import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import OpenAI from 'openai'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ChannelDtoSchema } from '@shared/dto/channel'
import { ErrorBodySchema } from '@shared/dto/common'
import { captureLog } from '../../testing/log-capture'
import { startTestCore, type TestCore } from '../../testing/test-core'
import { createTestDatabase, type TestDatabase } from '../../testing/test-db'

const GOOD_TOKEN = 'rt-good-refresh-token-0001'
const BAD_TOKEN = 'rt-revoked-refresh-token-0002'
const SECRET = 'GOCSPX-client-secret-0003'
const HOUR = 3_600_000

/** A fake Google: the OAuth token endpoint at /token and the Cloud Code API at /v1internal:*. */
interface FakeGoogle {
  url: string
  tokenCalls: URLSearchParams[]
  /** Access tokens the Cloud Code API answers 401 for. */
  revoked: Set<string>
  calls: { path: string; authorization: string | undefined; body: Record<string, unknown> }[]
  close(): Promise<void>
}

function candidate(text: string, finish: boolean): Record<string, unknown> {
  return { content: { role: 'model', parts: [{ text }] }, ...(finish ? { finishReason: 'STOP' } : {}) }
}

const USAGE = { promptTokenCount: 3, candidatesTokenCount: 4, totalTokenCount: 7 }

async function startFakeGoogle(): Promise<FakeGoogle> {
  const fake: Omit<FakeGoogle, 'url' | 'close'> = { tokenCalls: [], revoked: new Set(), calls: [] }
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const text = Buffer.concat(chunks).toString('utf8')
    const path = req.url ?? ''
    if (path === '/token') {
      const form = new URLSearchParams(text)
      fake.tokenCalls.push(form)
      if (form.get('refresh_token') !== GOOD_TOKEN) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_grant', error_description: 'Token has been expired or revoked.' }))
        return
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: `at-${fake.tokenCalls.length}`, expires_in: 3599, token_type: 'Bearer' }))
      return
    }
    fake.calls.push({ path, authorization: req.headers.authorization, body: JSON.parse(text) as Record<string, unknown> })
    if (fake.revoked.has((req.headers.authorization ?? '').replace('Bearer ', ''))) {
      res.writeHead(401, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } }))
      return
    }
    if (path === '/v1internal:generateContent') {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ response: { candidates: [candidate('Hello from Cloud Code', true)], usageMetadata: USAGE, responseId: 'r1' }, traceId: 't1' }))
      return
    }
    if (path === '/v1internal:streamGenerateContent?alt=sse') {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write(`data: ${JSON.stringify({ response: { candidates: [candidate('Hello ', false)], responseId: 'r2' }, traceId: 't2' })}\r\n\r\n`)
      res.end(`data: ${JSON.stringify({ response: { candidates: [candidate('streamed', true)], usageMetadata: USAGE, responseId: 'r2' }, traceId: 't2' })}\r\n\r\n`)
      return
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 404, message: `no ${path}`, status: 'NOT_FOUND' } }))
  }
  const server: Server = createServer((req, res) => void handle(req, res))
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { ...fake, url, close: () => new Promise(resolve => server.close(() => resolve())) }
}

let db: TestDatabase
let cuttle: TestCore
let google: FakeGoogle
let clientKey: string
let chat: OpenAI
let agId: number
let badId: number
let clockOffset = 0

function antigravity(): Record<string, unknown> {
  return { clientId: 'client-0001.apps.googleusercontent.com', clientSecret: SECRET, tokenUrl: `${google.url}/token`, endpoint: google.url, project: 'proj-1' }
}

async function created(body: Record<string, unknown>): Promise<number> {
  const reply = await cuttle.admin('POST', '/channels', body)
  expect(reply.status, JSON.stringify(reply.body)).toBe(201)
  return ChannelDtoSchema.parse(reply.body).id
}

/** A Gemini client's call, as its SDKs make it. */
async function gemini(model: string, stream: boolean): Promise<{ status: number; text: string }> {
  const method = stream ? 'streamGenerateContent?alt=sse' : 'generateContent'
  const res = await fetch(`${cuttle.url}/v1beta/models/${model}:${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-goog-api-key': clientKey },
    body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] })
  })
  return { status: res.status, text: await res.text() }
}

beforeAll(async () => {
  db = await createTestDatabase('sqlite')
  google = await startFakeGoogle()
  cuttle = await startTestCore(db, { CUTTLE_ALLOW_ANTIGRAVITY: '1' }, { now: () => Date.now() + clockOffset })
  // The base URL is not where requests go (the endpoint is); it points at the fake so nothing leaves the host.
  agId = await created({ name: 'ag', type: 'gemini', baseUrls: [google.url], keys: [GOOD_TOKEN], models: ['gemini-2.5-pro'], antigravity: antigravity() })
  badId = await created({ name: 'ag-revoked', type: 'gemini', baseUrls: [google.url], keys: [BAD_TOKEN], models: ['revoked-model'], antigravity: antigravity() })
  clientKey = ((await cuttle.admin('POST', '/api-keys', { name: 'laptop' })).body as { key: string }).key
  chat = new OpenAI({ apiKey: clientKey, baseURL: `${cuttle.url}/v1`, maxRetries: 0 })
})

afterAll(async () => {
  await cuttle?.stop()
  await google?.close()
  await db?.destroy()
})

beforeEach(() => {
  google.calls.length = 0
})

describe('an Antigravity channel', () => {
  it('answers a Gemini client, plain and streamed, through the Cloud Code envelope with one token refresh', async () => {
    const plain = await gemini('gemini-2.5-pro', false)
    expect(plain.status, plain.text).toBe(200)
    const answer = JSON.parse(plain.text) as { candidates: { content: { parts: { text: string }[] } }[]; response?: unknown }
    expect(answer.candidates[0]?.content.parts[0]?.text).toBe('Hello from Cloud Code')
    expect(answer.response).toBeUndefined()

    const streamed = await gemini('gemini-2.5-pro', true)
    expect(streamed.status, streamed.text).toBe(200)
    expect(streamed.text).toContain('"text":"Hello "')
    expect(streamed.text).toContain('"text":"streamed"')
    expect(streamed.text).not.toContain('"response"')

    expect(google.calls.map(call => call.path)).toEqual(['/v1internal:generateContent', '/v1internal:streamGenerateContent?alt=sse'])
    for (const call of google.calls) {
      expect(call.authorization).toBe('Bearer at-1')
      expect(call.body).toMatchObject({ model: 'gemini-2.5-pro', project: 'proj-1', request: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] } })
    }
    const form = google.tokenCalls[0]
    expect(google.tokenCalls).toHaveLength(1)
    expect(Object.fromEntries(form ?? [])).toEqual({ grant_type: 'refresh_token', refresh_token: GOOD_TOKEN, client_id: 'client-0001.apps.googleusercontent.com', client_secret: SECRET })
  })

  it('answers an OpenAI Chat client by conversion, plain and streamed, on the cached token', async () => {
    const answer = await chat.chat.completions.create({ model: 'gemini-2.5-pro', messages: [{ role: 'user', content: 'hi' }] })
    expect(answer.choices[0]?.message.content).toBe('Hello from Cloud Code')
    expect(answer.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 4 })

    const stream = await chat.chat.completions.create({ model: 'gemini-2.5-pro', messages: [{ role: 'user', content: 'hi' }], stream: true })
    let text = ''
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? ''
    expect(text).toBe('Hello streamed')
    expect(google.calls.map(call => call.authorization)).toEqual(['Bearer at-1', 'Bearer at-1'])
    expect(google.tokenCalls).toHaveLength(1)
  })

  it('refreshes the access token once it is about to expire', async () => {
    clockOffset += HOUR
    const [first, second] = await Promise.all([gemini('gemini-2.5-pro', false), gemini('gemini-2.5-pro', false)])
    expect([first?.status, second?.status]).toEqual([200, 200])
    // Two requests at once share one refresh.
    expect(google.tokenCalls).toHaveLength(2)
    expect(google.calls.map(call => call.authorization)).toEqual(['Bearer at-2', 'Bearer at-2'])
  })

  it('refreshes again after the Cloud Code API refused a cached access token', async () => {
    google.revoked.add('at-2')
    expect((await gemini('gemini-2.5-pro', false)).status).toBe(502)
    expect((await cuttle.admin('POST', `/channels/${agId}/health/reset`)).status).toBe(200)
    expect((await gemini('gemini-2.5-pro', false)).status).toBe(200)
    expect(google.tokenCalls).toHaveLength(3)
    expect(google.calls.map(call => call.authorization)).toEqual(['Bearer at-2', 'Bearer at-3'])
  })

  it('sets a refused refresh token aside and tells the client why, in its protocol', async () => {
    const failed = await chat.chat.completions.create({ model: 'revoked-model', messages: [{ role: 'user', content: 'hi' }] }).catch((err: unknown) => err)
    expect(failed).toBeInstanceOf(OpenAI.APIError)
    const error = failed as InstanceType<typeof OpenAI.APIError>
    expect(error.status).toBe(502)
    expect(error.message).toContain('the token endpoint refused the refresh token (HTTP 400: invalid_grant: Token has been expired or revoked.)')
    expect(error.message).not.toContain(BAD_TOKEN)
    expect(google.calls).toEqual([])

    const channel = ChannelDtoSchema.parse((await cuttle.admin('GET', `/channels/${badId}`)).body)
    expect(channel.keys[0]?.health.status).toBe('disabled')
    const tokenCalls = google.tokenCalls.length
    const again = await gemini('revoked-model', false)
    expect(again.status).toBe(503)
    expect(JSON.parse(again.text)).toMatchObject({ error: { code: 503, status: 'UNAVAILABLE' } })
    // The key is set aside: no new refresh is tried with it.
    expect(google.tokenCalls).toHaveLength(tokenCalls)
  })

  it('shows the client secret masked, and keeps it when the mask is sent back', async () => {
    const shown = ChannelDtoSchema.parse((await cuttle.admin('GET', `/channels/${badId}`)).body)
    expect(JSON.stringify(shown)).not.toContain(SECRET)
    expect(shown.antigravity).toMatchObject({ clientSecret: 'GOC…0003', project: 'proj-1' })
    const patched = await cuttle.admin('PATCH', `/channels/${badId}`, { antigravity: { ...shown.antigravity, project: 'proj-2' } })
    expect(patched.status, JSON.stringify(patched.body)).toBe(200)
    const stored = await cuttle.core.repos.channels.get(badId)
    expect(stored?.antigravity).toMatchObject({ clientSecret: SECRET, project: 'proj-2' })
  })

  it('tells a Gemini client of a refused refresh token in its own error format', async () => {
    await created({ name: 'ag-revoked-2', type: 'gemini', baseUrls: [google.url], keys: [`${BAD_TOKEN}-2`], models: ['revoked-gemini'], antigravity: antigravity() })
    const failed = await gemini('revoked-gemini', false)
    expect(failed.status).toBe(502)
    const body = JSON.parse(failed.text) as { error: { code: number; message: string; status: string } }
    expect(body.error.code).toBe(502)
    expect(body.error.message).toContain('the token endpoint refused the refresh token')
  })

  it('needs the gemini type', async () => {
    const reply = await cuttle.admin('POST', '/channels', { name: 'ag-chat', type: 'openai-chat', baseUrls: [google.url], keys: ['x'], antigravity: antigravity() })
    expect(reply.status).toBe(400)
    expect(ErrorBodySchema.parse(reply.body).error.message).toContain('applies to gemini channels only')
  })
})

describe('at start', () => {
  it('warns once that Antigravity channels may break the terms when they are allowed', async () => {
    const startDb = await createTestDatabase('sqlite')
    const first = await startTestCore(startDb, { CUTTLE_ALLOW_ANTIGRAVITY: '1' })
    await first.admin('POST', '/channels', { name: 'ag', type: 'gemini', baseUrls: [google.url], keys: [GOOD_TOKEN], antigravity: antigravity() })
    await first.stop()
    const log = captureLog('warn')
    const again = await startTestCore(startDb, { CUTTLE_ALLOW_ANTIGRAVITY: '1' }, { logger: log.logger })
    try {
      const warnings = log.records().filter(line => String(line.msg).includes("may break Google's terms of service"))
      expect(warnings).toHaveLength(1)
      expect(warnings[0]).toMatchObject({ channels: ['ag'] })
    } finally {
      await again.stop()
      await startDb.destroy()
    }
  })
})

describe('without the opt-in', () => {
  it('refuses to create or enable an Antigravity channel, saying it may break the terms and how to opt in', async () => {
    const offDb = await createTestDatabase('sqlite')
    const off = await startTestCore(offDb)
    try {
      const body = { name: 'ag', type: 'gemini', baseUrls: [google.url], keys: [GOOD_TOKEN], antigravity: antigravity() }
      const reply = await off.admin('POST', '/channels', body)
      expect(reply.status).toBe(400)
      const message = ErrorBodySchema.parse(reply.body).error.message
      expect(message).toContain("may break Google's terms of service")
      expect(message).toContain('CUTTLE_ALLOW_ANTIGRAVITY=1')

      const plain = ChannelDtoSchema.parse((await off.admin('POST', '/channels', { name: 'plain', type: 'gemini', baseUrls: [google.url], keys: ['k'] })).body)
      const enabled = await off.admin('PATCH', `/channels/${plain.id}`, { antigravity: antigravity() })
      expect(enabled.status).toBe(400)
      expect(ErrorBodySchema.parse(enabled.body).error.message).toContain("may break Google's terms of service")
    } finally {
      await off.stop()
      await offDb.destroy()
    }
  })
})
