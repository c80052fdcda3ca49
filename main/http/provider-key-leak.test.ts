import { createServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeOpenAi, type FakeOpenAiUpstream } from '../testing/fake-openai-upstream'
import { captureLog, type CapturedLog } from '../testing/log-capture'
import { rawRequest, type RawReply } from '../testing/raw-http'
import { startTestCore, type TestCore } from '../testing/test-core'
import { createTestDatabase, type TestDatabase } from '../testing/test-db'

/** One provider key per outcome; each is long and unusual, so any occurrence is a leak. */
const KEYS = {
  ok: 'sk-leakcheck-ok-4f9a2c7e1b6d8035',
  unauthorized: 'sk-leakcheck-401-9d3e7a1c5b2f4068',
  failing: 'sk-leakcheck-500-2b8f6d4a9c1e7053',
  unreachable: 'sk-leakcheck-net-7c1a5e9b3d2f8046'
} as const
type Outcome = keyof typeof KEYS

let db: TestDatabase
let cuttle: TestCore
let upstream: FakeOpenAiUpstream
let log: CapturedLog
let closedUrl: string
let clientKey: string
const ids: Record<Outcome, number> = { ok: 0, unauthorized: 0, failing: 0, unreachable: 0 }

/** A URL nothing listens on: a port that was just free. */
async function closedPortUrl(): Promise<string> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  await new Promise<void>(resolve => server.close(() => resolve()))
  return `http://127.0.0.1:${port}`
}

beforeAll(async () => {
  db = await createTestDatabase('sqlite')
  upstream = await startFakeOpenAi()
  closedUrl = await closedPortUrl()
  log = captureLog('trace')
  cuttle = await startTestCore(db, {}, { logger: log.logger })
  // Providers that echo the key they were sent in an error (as some do) must not carry it to clients.
  upstream.behave(req => {
    const sent = String(req.headers.authorization ?? '')
    if (req.body.model === 'up-unauthorized') return { kind: 'status', status: 401, body: { error: { message: `Incorrect API key provided: ${sent}`, type: 'invalid_request_error' } } }
    if (req.body.model === 'up-failing') return { kind: 'status', status: 500, body: { error: { message: `internal error for key ${sent.replace(/^Bearer /, '')}` } } }
    return { kind: 'reply', text: 'fine' }
  })
  expect((await cuttle.admin('PATCH', '/settings', { captureBodies: true })).status).toBe(200)
  for (const outcome of Object.keys(KEYS) as Outcome[]) {
    const channel = await cuttle.admin('POST', '/channels', {
      name: `leak-${outcome}`,
      type: 'openai-chat',
      baseUrls: [outcome === 'unreachable' ? closedUrl : upstream.url],
      keys: [KEYS[outcome]],
      models: [`up-${outcome}`]
    })
    expect(channel.status).toBe(201)
    ids[outcome] = (channel.body as { id: number }).id
    const group = await cuttle.admin('POST', '/groups', { name: `g-${outcome}`, mode: 'failover', members: [{ channelId: ids[outcome], model: `up-${outcome}` }] })
    expect(group.status).toBe(201)
  }
  clientKey = ((await cuttle.admin('POST', '/api-keys', { name: 'leak-client' })).body as { key: string }).key
})

afterAll(async () => {
  await cuttle.stop()
  await upstream.close()
  await db.destroy()
})

/** Everything a client sees of an answer: status line facts, every header, the body. */
const visible = (reply: RawReply): string => `${reply.status}\n${JSON.stringify(reply.headers)}\n${reply.text}`

function expectNoKey(text: string, where: string): void {
  for (const key of Object.values(KEYS)) {
    expect(text.includes(key), `${where} contains ${key}:\n${text.slice(0, 2000)}`).toBe(false)
    // A fragment long enough to identify the key counts as a leak too (the masked form keeps 4 characters).
    expect(text.includes(key.slice(-12)), `${where} contains the end of ${key}`).toBe(false)
  }
}

describe('provider keys never leave the server', () => {
  it('relayed requests (success, upstream 401, upstream 500, network error) and admin reads show no key in any answer or log line', async () => {
    const replies: Array<[string, RawReply]> = []
    const relay = async (outcome: Outcome, stream: boolean): Promise<void> => {
      const reply = await rawRequest(
        cuttle.url,
        'POST',
        '/v1/chat/completions',
        { authorization: `Bearer ${clientKey}`, 'content-type': 'application/json' },
        JSON.stringify({ model: `g-${outcome}`, stream, messages: [{ role: 'user', content: 'hi' }] })
      )
      replies.push([`relay ${outcome}${stream ? ' stream' : ''}`, reply])
    }
    for (const outcome of Object.keys(KEYS) as Outcome[]) {
      await relay(outcome, false)
      await relay(outcome, true)
    }
    const statuses = Object.fromEntries(replies.map(([what, reply]) => [what, reply.status]))
    expect(statuses['relay ok']).toBe(200)
    expect(statuses['relay ok stream']).toBe(200)
    expect(statuses['relay unauthorized']).toBeGreaterThanOrEqual(400)
    expect(statuses['relay failing']).toBeGreaterThanOrEqual(500)
    expect(statuses['relay unreachable']).toBeGreaterThanOrEqual(500)
    // The upstream did receive the keys: the test would prove nothing otherwise.
    expect(upstream.requests.map(r => r.headers.authorization)).toEqual(expect.arrayContaining([`Bearer ${KEYS.ok}`, `Bearer ${KEYS.unauthorized}`, `Bearer ${KEYS.failing}`]))

    await cuttle.core.flusher.flush()
    const token = await cuttle.login()
    const admin = (path: string, method = 'GET', body?: unknown): Promise<RawReply> =>
      rawRequest(cuttle.url, method, `/api/v1${path}`, { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body === undefined ? undefined : JSON.stringify(body))
    const logs = JSON.parse((await admin('/logs?limit=100')).text) as { items: Array<{ id: number }> }
    expect(logs.items.length).toBeGreaterThanOrEqual(8)
    const reads: Array<[string, Promise<RawReply>]> = [
      ['channels', admin('/channels')],
      ...(Object.keys(KEYS) as Outcome[]).map((outcome): [string, Promise<RawReply>] => [`channel ${outcome}`, admin(`/channels/${ids[outcome]}`)]),
      ['channel test 401', admin(`/channels/${ids.unauthorized}/test`, 'POST', {})],
      ['channel test unreachable', admin(`/channels/${ids.unreachable}/test`, 'POST', {})],
      ['channel patch', admin(`/channels/${ids.ok}`, 'PATCH', { name: 'leak-ok-renamed' })],
      ['logs', admin('/logs?limit=100')],
      ...logs.items.map((item): [string, Promise<RawReply>] => [`log ${item.id}`, admin(`/logs/${item.id}`)])
    ]
    for (const [what, pending] of reads) {
      const reply = await pending
      expect(reply.status, `${what}: ${reply.text}`).toBeLessThan(500)
      replies.push([what, reply])
    }
    const channel = JSON.parse(replies.find(([what]) => what === 'channel ok')?.[1].text ?? '{}') as { keys: Array<{ masked: string }> }
    expect(channel.keys[0]?.masked).toMatch(/^sk-.*8035$/)

    for (const [what, reply] of replies) expectNoKey(visible(reply), what)
    expect(log.lines.length).toBeGreaterThan(0)
    log.lines.forEach((line, i) => expectNoKey(line, `log line ${i}`))
  })
})
