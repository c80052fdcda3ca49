import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { emptyRequest } from '../../canonical/request'
import type { CanonicalResponse } from '../../canonical/response'
import type { StreamEvent } from '../../canonical/stream-event'
import { relayErrors } from '../../relay-errors'
import { openAiResponsesAdapter } from './index'
import { encodeContext, encodeStream } from './test-helpers'

const usage = { inputTotal: 2100, cacheRead: 1536, cacheWrite: 0, outputTotal: 180, reasoning: 96 }
const request = emptyRequest('relay-model', true)
request.tools = [{ name: 'get_weather', kind: 'function', parameters: { type: 'object', properties: { city: { type: 'string' } } } }]
const ctx = encodeContext(request)

const turn: StreamEvent[] = [
  { type: 'start', id: 'up-1', model: 'claude-sonnet-4-5' },
  { type: 'reasoning_delta', text: 'The user wants weather.' },
  { type: 'reasoning_done', opaque: { protocol: 'anthropic', value: 'sig-1' } },
  { type: 'text_delta', text: 'Let me check ' },
  { type: 'text_delta', text: 'Paris.' },
  { type: 'tool_call_start', index: 0, id: 'toolu_01', name: 'get_weather', kind: 'function' },
  { type: 'tool_call_delta', index: 0, arguments: '{"city":' },
  { type: 'tool_call_delta', index: 0, arguments: '"Paris"}' },
  { type: 'finish', stop: 'tool_use' },
  { type: 'usage', usage }
]
const failing: StreamEvent[] = [
  { type: 'start', id: 'up-2', model: 'm' },
  { type: 'text_delta', text: 'Par' },
  { type: 'error', error: relayErrors.upstreamFailed(502, 'upstream stream failed: socket hang up') }
]
const answer: CanonicalResponse = {
  id: 'up-3',
  model: 'claude-sonnet-4-5',
  parts: [{ type: 'text', text: 'Hello from Cuttle.' }],
  stop: 'end',
  usage
}

let server: Server
let client: OpenAI

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = ''
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')))
    req.on('end', () => {
      const body: unknown = JSON.parse(raw)
      const input = typeof body === 'object' && body !== null ? (body as { input?: unknown; stream?: unknown }) : {}
      if (input.stream !== true) {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify(openAiResponsesAdapter.client.encodeResponse(answer, ctx)))
        return
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
      res.end(encodeStream(input.input === 'fail' ? failing : turn, ctx))
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'x', maxRetries: 0 })
})

afterAll(async () => {
  await new Promise<void>(resolve => server.close(() => resolve()))
})

describe('the official openai SDK reads what the encoders write', () => {
  it('iterates a streamed turn: every event typed, ending in response.completed with the items and usage', async () => {
    const stream = await client.responses.create({ model: 'relay-model', input: 'Weather in Paris?', stream: true })
    const types: string[] = []
    let completed: OpenAI.Responses.Response | null = null
    for await (const event of stream) {
      types.push(event.type)
      if (event.type === 'response.completed') completed = event.response
    }
    expect(types[0]).toBe('response.created')
    expect(types.at(-1)).toBe('response.completed')
    expect(types.filter(t => t === 'response.output_item.done')).toHaveLength(3)
    expect(completed?.output.map(item => item.type)).toEqual(['reasoning', 'message', 'function_call'])
    expect(completed?.usage).toEqual({
      input_tokens: 2100,
      input_tokens_details: { cached_tokens: 1536, cache_write_tokens: 0 },
      output_tokens: 180,
      output_tokens_details: { reasoning_tokens: 96 },
      total_tokens: 2280
    })
  })

  it('accumulates the stream into a final response (responses.stream().finalResponse())', async () => {
    const final = await client.responses.stream({ model: 'relay-model', input: 'Weather in Paris?' }).finalResponse()
    expect(final.id).toBe('resp_req7f3a01')
    expect(final.status).toBe('completed')
    expect(final.output_text).toBe('Let me check Paris.')
    const [reasoning, message, call] = final.output
    expect(reasoning).toMatchObject({ type: 'reasoning', summary: [{ type: 'summary_text', text: 'The user wants weather.' }], encrypted_content: 'cuttle1.anthropic.sig-1' })
    expect(message).toMatchObject({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Let me check Paris.' }] })
    expect(call).toMatchObject({ type: 'function_call', call_id: 'toolu_01', name: 'get_weather', arguments: '{"city":"Paris"}' })
    expect(final.usage?.input_tokens_details.cached_tokens).toBe(1536)
    expect(final.usage?.output_tokens_details.reasoning_tokens).toBe(96)
  })

  it('reports a broken stream as a failed response, never as completed (case 30)', async () => {
    const stream = await client.responses.create({ model: 'relay-model', input: 'fail', stream: true })
    const types: string[] = []
    let failure: unknown = null
    for await (const event of stream) {
      types.push(event.type)
      if (event.type === 'response.failed') failure = event.response.error
    }
    expect(types.at(-1)).toBe('response.failed')
    expect(types).not.toContain('response.completed')
    expect(failure).toEqual({ code: 'server_error', message: 'upstream stream failed: socket hang up' })
  })

  it('parses a non-streamed answer (responses.create)', async () => {
    const response = await client.responses.create({ model: 'relay-model', input: 'Hi' })
    expect(response.output_text).toBe('Hello from Cuttle.')
    expect(response.status).toBe('completed')
    expect(response.model).toBe('relay-model')
    expect(response.usage).toEqual({
      input_tokens: 2100,
      input_tokens_details: { cached_tokens: 1536, cache_write_tokens: 0 },
      output_tokens: 180,
      output_tokens_details: { reasoning_tokens: 96 },
      total_tokens: 2280
    })
  })
})
