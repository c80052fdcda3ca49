import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Protocol } from '../../relay/canonical/request'
import { jsonAnswer, sseAnswer, startScriptedUpstream, type ScriptedAnswer, type ScriptedUpstream } from '../../testing/scripted-upstream'
import { startTestCore, type TestCore } from '../../testing/test-core'
import { createTestDatabase, type TestDatabase } from '../../testing/test-db'

/**
 * Same protocol on both sides: a stream passes through byte for byte when it ends as its protocol
 * ends a whole stream, and gets the protocol's in-band error (and a failure in the stats) when
 * the upstream closes it cleanly before that, or answers it with JSON instead of SSE.
 */

const chatChunk = (choices: unknown[], usage?: unknown): string =>
  `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm', choices, ...(usage === undefined ? {} : { usage }) })}\n\n`
const CHAT_HEAD = chatChunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]) + chatChunk([{ index: 0, delta: { content: 'Hello' }, finish_reason: null }])
const CHAT_FINISH = chatChunk([{ index: 0, delta: {}, finish_reason: 'stop' }])
const CHAT_USAGE = chatChunk([], { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 })

let sequence = 0
const responsesEvent = (type: string, data: Record<string, unknown>): string => `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...data })}\n\n`
const RESPONSE = { id: 'resp_1', object: 'response', created_at: 1, model: 'm', output: [] }
const RESPONSES_HEAD =
  responsesEvent('response.created', { response: { ...RESPONSE, status: 'in_progress', usage: null } }) +
  responsesEvent('response.output_text.delta', { item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Hello' })
const RESPONSES_END = responsesEvent('response.completed', { response: { ...RESPONSE, status: 'completed', usage: { input_tokens: 5, output_tokens: 2, total_tokens: 7 } } })

const anthropicEvent = (type: string, data: Record<string, unknown> = {}): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`
const ANTHROPIC_HEAD =
  anthropicEvent('message_start', {
    message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 5, output_tokens: 1 } }
  }) +
  anthropicEvent('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) +
  anthropicEvent('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hello' } })
const ANTHROPIC_END =
  anthropicEvent('content_block_stop', { index: 0 }) +
  anthropicEvent('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 2 } }) +
  anthropicEvent('message_stop')

// Google ends its events with CRLF CRLF.
const geminiChunk = (data: unknown): string => `data: ${JSON.stringify(data)}\r\n\r\n`
const GEMINI_HEAD = geminiChunk({ candidates: [{ content: { role: 'model', parts: [{ text: 'Hello' }] }, index: 0 }], modelVersion: 'm' })
const GEMINI_END = geminiChunk({
  candidates: [{ content: { role: 'model', parts: [{ text: '!' }] }, finishReason: 'STOP', index: 0 }],
  usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 2, totalTokenCount: 7 },
  modelVersion: 'm'
})

/** The upstream's answer per model; the model's prefix names the channel (and client) protocol. */
const ANSWERS: Record<string, ScriptedAnswer> = {
  'chat-whole': sseAnswer(`${CHAT_HEAD}${CHAT_FINISH}${CHAT_USAGE}data: [DONE]\n\n`),
  'chat-no-done': sseAnswer(CHAT_HEAD + CHAT_FINISH + CHAT_USAGE),
  'chat-no-done-no-usage': sseAnswer(CHAT_HEAD + CHAT_FINISH),
  'chat-cut': sseAnswer(CHAT_HEAD),
  'chat-cut-in-event': sseAnswer(`${CHAT_HEAD}data: {"id":"chatcmpl-1","choices":[{"index":0,"delta":{"content":"wor`),
  'chat-json-error': jsonAnswer(200, { error: { message: 'quota hiccup', type: 'server_error' } }),
  'chat-json-answer': jsonAnswer(200, { id: 'chatcmpl-1', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' }] }),
  'responses-whole': sseAnswer(RESPONSES_HEAD + RESPONSES_END),
  'responses-cut': sseAnswer(RESPONSES_HEAD),
  'anthropic-whole': sseAnswer(ANTHROPIC_HEAD + ANTHROPIC_END),
  'anthropic-cut': sseAnswer(ANTHROPIC_HEAD),
  'gemini-whole': sseAnswer(GEMINI_HEAD + GEMINI_END),
  'gemini-cut': sseAnswer(GEMINI_HEAD)
}

const CHANNELS: Record<Protocol, string> = { 'openai-chat': 'chat', 'openai-responses': 'responses', anthropic: 'anthropic', gemini: 'gemini' }

let db: TestDatabase
let upstream: ScriptedUpstream
let cuttle: TestCore
let key: string

beforeAll(async () => {
  db = await createTestDatabase('sqlite')
  upstream = await startScriptedUpstream(model => ANSWERS[model])
  cuttle = await startTestCore(db)
  for (const [type, prefix] of Object.entries(CHANNELS)) {
    const models = Object.keys(ANSWERS).filter(m => m.startsWith(`${prefix}-`))
    await cuttle.admin('POST', '/channels', { name: `scripted-${prefix}`, type, baseUrls: [upstream.url], keys: [`sk-scripted-${prefix}-000001`], models })
  }
  key = ((await cuttle.admin('POST', '/api-keys', { name: 'ends' })).body as { key: string }).key
})

afterAll(async () => {
  await cuttle.stop()
  await upstream.close()
  await db.destroy()
})

/** A streamed request the way each protocol's SDK sends it. */
function streamRequest(protocol: Protocol, model: string): { path: string; headers: Record<string, string>; body: unknown } {
  const messages = [{ role: 'user', content: 'hi' }]
  switch (protocol) {
    case 'openai-chat':
      return { path: '/v1/chat/completions', headers: { authorization: `Bearer ${key}` }, body: { model, messages, stream: true, stream_options: { include_usage: true } } }
    case 'openai-responses':
      return { path: '/v1/responses', headers: { authorization: `Bearer ${key}` }, body: { model, input: 'hi', stream: true } }
    case 'anthropic':
      return { path: '/v1/messages', headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' }, body: { model, max_tokens: 64, messages, stream: true } }
    case 'gemini':
      return { path: `/v1beta/models/${model}:streamGenerateContent?alt=sse`, headers: { 'x-goog-api-key': key }, body: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] } }
  }
}

/** Relays one stream; the client's text and how the request was logged. */
async function relay(protocol: Protocol, model: string): Promise<{ status: number; contentType: string; text: string; log: { status: number; error: string | null }; errorsCounted: number }> {
  const errorsBefore = cuttle.core.live.snapshot().errorsToday
  const { path, headers, body } = streamRequest(protocol, model)
  const res = await fetch(`${cuttle.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
  const text = await res.text()
  await cuttle.core.flusher.flush()
  const row = (await cuttle.core.db('request_logs').where({ request_id: res.headers.get('x-cuttle-request-id') }).first()) as { status: number; error: string | null }
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    text,
    log: { status: Number(row.status), error: row.error },
    errorsCounted: cuttle.core.live.snapshot().errorsToday - errorsBefore
  }
}

/** The last SSE event of `text`. */
function lastEvent(text: string): { event: string | null; data: unknown } {
  const blocks = text.split(/\r?\n\r?\n/).filter(b => b.trim() !== '')
  const lines = (blocks.at(-1) ?? '').split(/\r?\n/)
  const event = lines.find(l => l.startsWith('event: '))?.slice(7) ?? null
  const data = lines.find(l => l.startsWith('data: '))?.slice(6) ?? 'null'
  return { event, data: JSON.parse(data) as unknown }
}

/** Each protocol's in-band error, as its SDK recognises one (docs/protocols.md §2). */
const IN_BAND_ERROR: Record<Protocol, (message: string) => { event: string | null; data: unknown }> = {
  'openai-chat': message => ({ event: null, data: { error: { message: expect.stringContaining(message), type: 'server_error', code: 'upstream_error' } } }),
  'openai-responses': message => ({ event: 'response.failed', data: { type: 'response.failed', response: { status: 'failed', error: { code: 'server_error', message: expect.stringContaining(message) } } } }),
  anthropic: message => ({ event: 'error', data: { type: 'error', error: { type: 'api_error', message: expect.stringContaining(message) } } }),
  gemini: message => ({ event: null, data: { error: { code: 502, message: expect.stringContaining(message) } } })
}

describe.each(Object.entries(CHANNELS) as [Protocol, string][])('%s pass-through', (protocol, prefix) => {
  it('passes a whole stream on byte for byte and logs it as answered', async () => {
    const r = await relay(protocol, `${prefix}-whole`)
    expect(r.status).toBe(200)
    expect(r.text).toBe(ANSWERS[`${prefix}-whole`]?.body)
    expect(r.log).toEqual({ status: 200, error: null })
    expect(r.errorsCounted).toBe(0)
  })

  it('ends a stream the upstream closed early with the in-band error and logs a 502 failure', async () => {
    const upstreamBody = ANSWERS[`${prefix}-cut`]?.body ?? ''
    const r = await relay(protocol, `${prefix}-cut`)
    expect([r.status, r.contentType]).toEqual([200, expect.stringMatching(/^text\/event-stream/)])
    // Everything the upstream sent first reached the client unchanged, then the error.
    expect(r.text.startsWith(upstreamBody)).toBe(true)
    expect(lastEvent(r.text.slice(upstreamBody.length))).toMatchObject(IN_BAND_ERROR[protocol]('ended the stream early'))
    expect(r.log).toEqual({ status: 502, error: expect.stringContaining('upstream ended the stream early') })
    expect(r.errorsCounted).toBe(1)
  })
})

describe('openai-chat pass-through ends', () => {
  it.each(['chat-no-done', 'chat-no-done-no-usage'])('takes a finish_reason chunk (and the usage chunk after it) as the end when [DONE] never comes: %s', async model => {
    const r = await relay('openai-chat', model)
    expect(r.text).toBe(ANSWERS[model]?.body)
    expect(r.log).toEqual({ status: 200, error: null })
  })

  it('drops the piece of an event the upstream was cut in, so the client parses the error', async () => {
    const r = await relay('openai-chat', 'chat-cut-in-event')
    expect(r.text.startsWith(CHAT_HEAD)).toBe(true)
    expect(r.text).not.toContain('"wor')
    expect(lastEvent(r.text)).toMatchObject(IN_BAND_ERROR['openai-chat']('ended the stream early'))
    expect(r.log.status).toBe(502)
  })

  it('answers a JSON error body given to a stream request with the in-band error carrying its message', async () => {
    const r = await relay('openai-chat', 'chat-json-error')
    expect(r.status).toBe(200)
    expect(r.text).toBe(`data: ${JSON.stringify({ error: { message: 'quota hiccup', type: 'server_error', param: null, code: 'upstream_error' } })}\n\n`)
    expect(r.log).toEqual({ status: 502, error: 'quota hiccup' })
  })

  it('answers a whole non-streamed answer given to a stream request with the in-band error, not the raw JSON', async () => {
    const r = await relay('openai-chat', 'chat-json-answer')
    expect(r.text).not.toContain('chat.completion')
    expect(lastEvent(r.text)).toMatchObject(IN_BAND_ERROR['openai-chat']('not SSE'))
    expect(r.log).toEqual({ status: 502, error: expect.stringContaining('not SSE') })
  })
})
