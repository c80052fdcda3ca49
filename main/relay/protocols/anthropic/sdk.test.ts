import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import Anthropic, { APIError, OverloadedError, RateLimitError } from '@anthropic-ai/sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CanonicalResponse } from '../../canonical/response'
import type { StreamEvent } from '../../canonical/stream-event'
import { RelayError } from '../../relay-errors'
import { anthropicErrorBody } from './errors'
import { encodeAnthropicResponse } from './response'
import { encodeContext, encodeEvents } from './test-support'

/** What the fake relay answers the next request with. */
let reply: { status: number; contentType: string; body: string } = { status: 200, contentType: 'application/json', body: '{}' }
const seen: string[] = []

const server: Server = createServer((req, res) => {
  seen.push(`${req.method ?? ''} ${req.url ?? ''}`)
  req.resume()
  req.on('end', () => {
    res.writeHead(reply.status, { 'content-type': reply.contentType })
    res.end(reply.body)
  })
})

let client: Anthropic
beforeAll(async () => {
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  client = new Anthropic({ baseURL: `http://127.0.0.1:${port}`, apiKey: 'x', maxRetries: 0 })
})
afterAll(async () => {
  await new Promise<void>(resolve => server.close(() => resolve()))
})

const params = { model: 'claude-sonnet-5-5', max_tokens: 1024, messages: [{ role: 'user' as const, content: 'hi' }] }

/** A turn as a Chat upstream would produce it: thinking, text, two interleaved tool calls. */
const turn: StreamEvent[] = [
  { type: 'start', id: 'chatcmpl-9', model: 'deepseek-reasoner' },
  { type: 'usage', usage: { inputTotal: 1200, cacheRead: 1000, cacheWrite: 0, outputTotal: 0, reasoning: 0 } },
  { type: 'reasoning_delta', text: 'Need both files. ' },
  { type: 'reasoning_delta', text: 'Read them in parallel.' },
  { type: 'reasoning_done', opaque: { protocol: 'gemini', value: 'Z2VtaW5pLXNpZw==' } },
  { type: 'text_delta', text: 'Reading ' },
  { type: 'text_delta', text: 'both files.' },
  { type: 'tool_call_start', index: 0, id: 'call_a', name: 'Read', kind: 'function' },
  { type: 'tool_call_delta', index: 0, arguments: '{"file_path":' },
  { type: 'tool_call_start', index: 1, id: 'call_b', name: 'Read', kind: 'function' },
  { type: 'tool_call_delta', index: 1, arguments: '{"file_path":"/b.txt"}' },
  { type: 'tool_call_delta', index: 0, arguments: '"/a.txt"}' },
  { type: 'finish', stop: 'tool_use' },
  { type: 'usage', usage: { inputTotal: 1200, cacheRead: 1000, cacheWrite: 0, outputTotal: 77, reasoning: 30 } }
]

describe('the official Anthropic SDK reading what the encoders write', () => {
  it('assembles a streamed turn: thinking + signature, text, two tool_use blocks, stop_reason and usage (cases 1–5, 7, 8)', async () => {
    reply = { status: 200, contentType: 'text/event-stream', body: encodeEvents(turn) }
    const message = await client.messages.stream(params).finalMessage()
    expect(seen.at(-1)).toBe('POST /v1/messages')
    expect(message.id).toBe('msg_0a1b2c')
    expect(message.model).toBe('claude-sonnet-4-5')
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'Need both files. Read them in parallel.', signature: 'cuttle1.gemini.Z2VtaW5pLXNpZw==' },
      { type: 'text', text: 'Reading both files.' },
      { type: 'tool_use', id: 'call_a', name: 'Read', input: { file_path: '/a.txt' } },
      { type: 'tool_use', id: 'call_b', name: 'Read', input: { file_path: '/b.txt' } }
    ])
    expect(message.stop_reason).toBe('tool_use')
    expect(message.stop_sequence).toBeNull()
    expect(message.usage).toEqual({ input_tokens: 200, output_tokens: 77, cache_creation_input_tokens: 0, cache_read_input_tokens: 1000 })
  })

  it('yields the text through the SDK text helper', async () => {
    reply = {
      status: 200,
      contentType: 'text/event-stream',
      body: encodeEvents([
        { type: 'start', id: 'x', model: 'x' },
        { type: 'text_delta', text: 'Hello' },
        { type: 'text_delta', text: ', world' },
        { type: 'finish', stop: 'end' }
      ])
    }
    const pieces: string[] = []
    const stream = client.messages.stream(params).on('text', text => pieces.push(text))
    const message = await stream.finalMessage()
    expect(pieces).toEqual(['Hello', ', world'])
    expect(message.stop_reason).toBe('end_turn')
  })

  it('parses the non-streamed body of encodeResponse with messages.create', async () => {
    const response: CanonicalResponse = {
      id: 'resp_1',
      model: 'gemini-2.5-pro',
      parts: [
        { type: 'reasoning', text: 'Think.', opaque: { protocol: 'anthropic', value: 'EqSig' } },
        { type: 'text', text: 'The answer.' },
        { type: 'tool_call', id: 'call_7', name: 'lookup', arguments: '{"k":"v"}', kind: 'function' }
      ],
      stop: 'tool_use',
      usage: { inputTotal: 300, cacheRead: 100, cacheWrite: 50, outputTotal: 20, reasoning: 5 }
    }
    reply = { status: 200, contentType: 'application/json', body: JSON.stringify(encodeAnthropicResponse(response, encodeContext())) }
    const message = await client.messages.create(params)
    expect(message.type).toBe('message')
    expect(message.role).toBe('assistant')
    expect(message.model).toBe('claude-sonnet-4-5')
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'Think.', signature: 'EqSig' },
      { type: 'text', text: 'The answer.', citations: null },
      { type: 'tool_use', id: 'call_7', name: 'lookup', input: { k: 'v' } }
    ])
    expect(message.stop_reason).toBe('tool_use')
    expect(message.usage).toEqual({ input_tokens: 150, output_tokens: 20, cache_creation_input_tokens: 50, cache_read_input_tokens: 100 })
  })

  it('throws an APIError typed overloaded_error on an in-band error event (case 30)', async () => {
    reply = {
      status: 200,
      contentType: 'text/event-stream',
      body: encodeEvents([
        { type: 'start', id: 'x', model: 'x' },
        { type: 'text_delta', text: 'partial' },
        { type: 'error', error: new RelayError(529, 'unavailable', 'overloaded', 'Upstream is overloaded') }
      ])
    }
    const error: unknown = await client.messages
      .stream(params)
      .finalMessage()
      .then(
        () => null,
        (e: unknown) => e
      )
    expect(error).toBeInstanceOf(APIError)
    expect(error instanceof APIError ? [error.type, error.apiMessage] : null).toEqual(['overloaded_error', 'Upstream is overloaded'])
  })

  it('throws the SDK error class of the status for an errorBody answer', async () => {
    reply = { status: 429, contentType: 'application/json', body: JSON.stringify(anthropicErrorBody(new RelayError(429, 'rate_limit', 'r', 'Slow down'))) }
    await expect(client.messages.create(params)).rejects.toBeInstanceOf(RateLimitError)
    reply = { status: 529, contentType: 'application/json', body: JSON.stringify(anthropicErrorBody(new RelayError(529, 'unavailable', 'o', 'Busy'))) }
    const error: unknown = await client.messages.create(params).then(
      () => null,
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(OverloadedError)
    expect(error instanceof APIError ? [error.status, error.type, error.apiMessage] : null).toEqual([529, 'overloaded_error', 'Busy'])
  })
})
