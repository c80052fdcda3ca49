import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHANNEL_TYPES, type ChannelType } from '@shared/constants/protocol'
import { ChannelDtoSchema, type ChannelDto } from '@shared/dto/channel'
import { ChannelTestResultSchema, type ChannelTestResult } from '@shared/dto/channel-test'
import { ErrorBodySchema } from '@shared/dto/common'
import { TEST_MAX_OUTPUT_TOKENS, TEST_PROMPT } from '../../relay/channel-test'
import { keyFingerprint } from '../../security/client-key'
import { startFakeOpenAi, type FakeOpenAiUpstream } from '../../testing/fake-openai-upstream'
import { startFakeProvider, type FakeProvider } from '../../testing/fake-provider'
import { startTestCore, type TestCore } from '../../testing/test-core'
import { createTestDatabase, type TestDatabase } from '../../testing/test-db'

const KEY = 'sk-test-secret-0123456789'
const SECOND_KEY = 'sk-test-second-9876543210'

/** Where each protocol keeps the output budget the test asked for. */
const BUDGET: Record<ChannelType, (body: Record<string, unknown>) => unknown> = {
  'openai-chat': body => body.max_completion_tokens ?? body.max_tokens,
  'openai-responses': body => body.max_output_tokens,
  anthropic: body => body.max_tokens,
  gemini: body => (body.generationConfig as Record<string, unknown> | undefined)?.maxOutputTokens
}

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  await new Promise<void>(resolve => server.close(() => resolve()))
  return port
}

describe('POST /api/v1/channels/:id/test', () => {
  let db: TestDatabase
  let cuttle: TestCore
  let fake: FakeProvider
  let openAi: FakeOpenAiUpstream
  beforeAll(async () => {
    db = await createTestDatabase('sqlite')
    cuttle = await startTestCore(db)
    fake = await startFakeProvider({ sideText: 'OK' })
    openAi = await startFakeOpenAi()
  })
  afterAll(async () => {
    await cuttle?.stop()
    await fake?.close()
    await openAi?.close()
    await db?.destroy()
  })

  const createChannel = async (fields: Record<string, unknown>): Promise<ChannelDto> => {
    const reply = await cuttle.admin('POST', '/channels', { keys: [KEY], models: ['model-a'], ...fields })
    expect(reply.status, JSON.stringify(reply.body)).toBe(201)
    return ChannelDtoSchema.parse(reply.body)
  }
  const runTest = async (id: number, body: unknown = {}): Promise<ChannelTestResult> => {
    const reply = await cuttle.admin('POST', `/channels/${id}/test`, body)
    expect(reply.status, JSON.stringify(reply.body)).toBe(200)
    return ChannelTestResultSchema.parse(reply.body)
  }

  it.each(CHANNEL_TYPES)('tests a %s channel in its own protocol and reports the answer', async type => {
    const channel = await createChannel({ name: `ok-${type}`, type, baseUrls: [fake.url], models: ['model-a', 'model-b'], modelMap: { 'model-a': 'upstream-a' } })
    const seen = fake.requests.length
    const result = await runTest(channel.id)
    expect(result).toMatchObject({ ok: true, status: 200, model: 'model-a', answer: 'OK', error: null, baseUrl: fake.url, keyFingerprint: keyFingerprint(KEY) })
    expect(result.latencyMs).toBeGreaterThanOrEqual(0)
    const sent = fake.requests.slice(seen)
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({ protocol: type, kind: 'generate', stream: false })
    expect(JSON.stringify(sent[0]?.body)).toContain(TEST_PROMPT)
    expect(BUDGET[type](sent[0]?.body ?? {})).toBe(TEST_MAX_OUTPUT_TOKENS)
    // The model map applies, as for relayed requests (Gemini names the model in the path).
    expect(type === 'gemini' ? sent[0]?.path : sent[0]?.body.model).toContain('upstream-a')

    // A named model is tested instead of the first one.
    expect((await runTest(channel.id, { model: 'model-b' })).model).toBe('model-b')
  })

  it('reports an upstream 401 with the provider message, never the key, and leaves health alone', async () => {
    const channel = await createChannel({ name: 'refused-key', type: 'openai-chat', baseUrls: [openAi.url], keys: [KEY, SECOND_KEY] })
    openAi.behave(() => ({ kind: 'status', status: 401, body: { error: { message: `Incorrect API key provided: ${KEY}`, type: 'invalid_request_error' } } }))
    try {
      const result = await runTest(channel.id)
      expect(result).toMatchObject({ ok: false, status: 401, answer: null, keyFingerprint: keyFingerprint(KEY) })
      expect(result.error).toBe('HTTP 401: Incorrect API key provided: [redacted]')
      expect(openAi.requests.at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`)
    } finally {
      openAi.behave(() => ({ kind: 'reply' }))
    }
    // A relayed 401 would set the key aside; a test does not.
    const after = ChannelDtoSchema.parse((await cuttle.admin('GET', `/channels/${channel.id}`)).body)
    expect(after.health.status).toBe('healthy')
    expect(after.keys.map(key => key.health.status)).toEqual(['healthy', 'healthy'])
    expect((await runTest(channel.id)).answer).toBe('Hello world')
  })

  it('reports a refused connection without a status', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`
    const channel = await createChannel({ name: 'nobody-home', type: 'anthropic', baseUrls: [url, fake.url] })
    const result = await runTest(channel.id)
    expect(result).toMatchObject({ ok: false, status: null, answer: null, baseUrl: url })
    expect(result.error).toMatch(/ECONNREFUSED/)
    const after = ChannelDtoSchema.parse((await cuttle.admin('GET', `/channels/${channel.id}`)).body)
    expect(after.health.status).toBe('healthy')
  })

  it('answers 404 for an unknown channel and 400 for a channel without models or a bad body', async () => {
    const missing = await cuttle.admin('POST', '/channels/999999/test', {})
    expect(missing.status).toBe(404)
    expect(ErrorBodySchema.parse(missing.body).error).toEqual({ code: 'not_found', message: 'Channel 999999 does not exist.' })

    const empty = await createChannel({ name: 'no-models', type: 'openai-chat', baseUrls: [fake.url], models: [] })
    const noModel = await cuttle.admin('POST', `/channels/${empty.id}/test`, {})
    expect(noModel.status).toBe(400)
    expect(ErrorBodySchema.parse(noModel.body).error.fields).toEqual([{ path: 'model', message: 'the channel lists no models: name the model to test' }])
    expect((await runTest(empty.id, { model: 'anything' })).ok).toBe(true)

    const bad = await cuttle.admin('POST', `/channels/${empty.id}/test`, { model: 'has space' })
    expect(bad.status).toBe(400)
  })
})
