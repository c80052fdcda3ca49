import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS } from '@shared/dto/settings'
import { keyFingerprint } from '../security/client-key'
import type { ChannelRecord } from '../store/records'
import { channelFields, fixedClock } from '../testing/factories'
import { AccessTokens } from './antigravity/access-tokens'
import { NO_USAGE } from './canonical/usage'
import { answerText, testChannel, testRequest, TEST_MAX_OUTPUT_TOKENS, TEST_PROMPT, type ChannelTestDeps } from './channel-test'
import { protocolAdapters } from './protocols/registry'
import { HealthRegistry } from './routing/health'
import type { UpstreamClient, UpstreamRequest, UpstreamResponse } from './upstream-client'

const KEYS = ['sk-test-aaaaaaaaaaaaaaaa', 'sk-test-bbbbbbbbbbbbbbbb']

const channel = (overrides: Partial<ChannelRecord> = {}): ChannelRecord => ({ id: 7, createdAt: 0, updatedAt: 0, ...channelFields({ keys: KEYS }), ...overrides })

/** An upstream client answering every call with `answer` and remembering what it was asked. */
function stubUpstream(answer: (req: UpstreamRequest) => UpstreamResponse | Error): { client: UpstreamClient; sent: UpstreamRequest[] } {
  const sent: UpstreamRequest[] = []
  const client = {
    send: async (req: UpstreamRequest): Promise<UpstreamResponse> => {
      sent.push(req)
      const reply = answer(req)
      if (reply instanceof Error) throw reply
      return reply
    }
  }
  return { client: client as unknown as UpstreamClient, sent }
}

const reply = (status: number, body: string): UpstreamResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: Readable.from([Buffer.from(body)]) as UpstreamResponse['body']
})

const chatAnswer = (content: string): string =>
  JSON.stringify({ id: 'c1', object: 'chat.completion', created: 1, model: 'gpt-4.1', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] })

function deps(client: UpstreamClient, health = new HealthRegistry(fixedClock)): ChannelTestDeps {
  return { upstream: client, tokens: new AccessTokens(client, fixedClock), adapters: protocolAdapters(), health, settings: () => DEFAULT_SETTINGS, now: fixedClock }
}

describe('testRequest and answerText', () => {
  it('asks one short question with a small budget, not streamed', () => {
    const request = testRequest('m')
    expect(request).toMatchObject({ model: 'm', stream: false, messages: [{ role: 'user', parts: [{ type: 'text', text: TEST_PROMPT }] }] })
    expect(request.generation.maxOutputTokens).toBe(TEST_MAX_OUTPUT_TOKENS)
  })

  it('reads text and refusals, not reasoning', () => {
    const parts = [
      { type: 'reasoning', text: 'thinking' },
      { type: 'text', text: ' OK' },
      { type: 'refusal', text: '.' }
    ] as const
    expect(answerText({ id: 'x', model: 'm', stop: 'end', usage: NO_USAGE, parts: [...parts] })).toBe('OK.')
  })
})

describe('testChannel', () => {
  it('sends the channel headers, proxy and deadlines with the first usable key to the first base URL', async () => {
    const { client, sent } = stubUpstream(() => reply(200, chatAnswer('OK')))
    const health = new HealthRegistry(fixedClock)
    health.keyDisabledBy(7, keyFingerprint(KEYS[0] as string), 'HTTP 401')
    const result = await testChannel(deps(client, health), channel(), 'gpt-4')
    expect(result).toEqual({ ok: true, status: 200, latencyMs: 0, model: 'gpt-4', answer: 'OK', error: null, baseUrl: 'https://api.example.com/v1', keyFingerprint: keyFingerprint(KEYS[1] as string) })
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({ url: 'https://api.example.com/v1/chat/completions', method: 'POST', proxy: 'http://proxy.local:8080', connectTimeoutMs: 5_000, firstByteTimeoutMs: 60_000, idleTimeoutMs: 30_000 })
    expect(sent[0]?.headers).toMatchObject({ 'x-org': 'acme', authorization: `Bearer ${KEYS[1]}` })
    // The model map turns the channel's name into the upstream's.
    const body = JSON.parse(sent[0]?.body ?? '{}') as Record<string, unknown>
    expect(body.model).toBe('gpt-4.1')
    expect(body.stream).not.toBe(true)
    // Reading health is all a test does with it.
    expect(health.channelView(7).status).toBe('healthy')
  })

  it('takes the settings deadlines where the channel sets none, and sends no auth without keys', async () => {
    const { client, sent } = stubUpstream(() => reply(200, chatAnswer('OK')))
    const result = await testChannel(deps(client), channel({ keys: [], timeouts: {} }), 'm')
    expect(result.keyFingerprint).toBeNull()
    expect(sent[0]?.headers.authorization).toBeUndefined()
    expect(sent[0]).toMatchObject({ connectTimeoutMs: DEFAULT_SETTINGS.connectTimeoutMs, firstByteTimeoutMs: DEFAULT_SETTINGS.firstByteTimeoutMs, idleTimeoutMs: DEFAULT_SETTINGS.idleTimeoutMs })
  })

  it('redacts the channel keys from answers and errors', async () => {
    const echo = stubUpstream(() => reply(200, chatAnswer(`your key is ${KEYS[1]}`)))
    expect((await testChannel(deps(echo.client), channel(), 'm')).answer).toBe('your key is [redacted]')
    const refused = stubUpstream(() => reply(403, JSON.stringify({ error: { message: `key ${KEYS[0]} is blocked` } })))
    expect(await testChannel(deps(refused.client), channel(), 'm')).toMatchObject({ ok: false, status: 403, answer: null, error: 'HTTP 403: key [redacted] is blocked' })
  })

  it('fails clearly on a body that is not JSON, an error inside a 200, a timeout and a missing base URL', async () => {
    const html = stubUpstream(() => reply(200, '<html>'))
    expect(await testChannel(deps(html.client), channel(), 'm')).toMatchObject({ ok: false, status: 200, error: 'the answer is not JSON' })

    const inBand = stubUpstream(() => reply(200, JSON.stringify({ error: { message: 'overloaded', type: 'server_error' } })))
    const failed = await testChannel(deps(inBand.client), channel(), 'm')
    expect(failed).toMatchObject({ ok: false, status: 200, answer: null })
    expect(failed.error).toMatch(/overloaded/)

    const timeout = Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' })
    const slow = stubUpstream(() => timeout)
    expect(await testChannel(deps(slow.client), channel(), 'm')).toMatchObject({ ok: false, status: null, error: 'the request failed: timed out' })

    const none = stubUpstream(() => reply(200, chatAnswer('OK')))
    expect(await testChannel(deps(none.client), channel({ baseUrls: [] }), 'm')).toMatchObject({ ok: false, error: 'the channel has no base URL', baseUrl: '' })
    expect(none.sent).toHaveLength(0)
  })

  it('does not show credentials of a base URL', async () => {
    const { client } = stubUpstream(() => reply(200, chatAnswer('OK')))
    expect((await testChannel(deps(client), channel({ baseUrls: ['https://user:pass@api.example.com/v1'] }), 'm')).baseUrl).toBe('https://api.example.com/v1')
  })
})
