import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import OpenAI, { APIError } from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { splitId } from '../../canonical/opaque'
import type { CanonicalResponse } from '../../canonical/response'
import type { StreamEvent } from '../../canonical/stream-event'
import { relayErrors } from '../../relay-errors'
import { encodeAll, encodeContext } from './fixtures/fixtures'
import { encodeChatResponse } from './response'
import { createChatStreamEncoder } from './stream-encoder'

const GEMINI_SIG = { protocol: 'gemini' as const, value: 'CiQB0e2Kb8sig==' }

/** A text and two parallel calls whose argument fragments interleave, usage after the finish. */
const TOOL_TURN: StreamEvent[] = [
  { type: 'start', id: 'msg_up', model: 'upstream-model' },
  { type: 'text_delta', text: 'Let me check ' },
  { type: 'text_delta', text: 'both cities.' },
  { type: 'tool_call_start', index: 0, id: 'call_paris', name: 'get_weather', kind: 'function' },
  { type: 'tool_call_delta', index: 0, arguments: '{"city":' },
  { type: 'tool_call_start', index: 1, id: 'call_rome', name: 'get_weather', kind: 'function', opaque: GEMINI_SIG },
  { type: 'tool_call_delta', index: 1, arguments: '{"city":"Rome","unit":"c"}' },
  { type: 'tool_call_delta', index: 0, arguments: '"Paris"}' },
  { type: 'finish', stop: 'tool_use' },
  { type: 'usage', usage: { inputTotal: 900, cacheRead: 512, cacheWrite: 0, outputTotal: 42, reasoning: 0 } }
]

const FAILING: StreamEvent[] = [
  { type: 'start', id: 'msg_up', model: 'upstream-model' },
  { type: 'text_delta', text: 'One' },
  { type: 'text_delta', text: ' two' },
  { type: 'text_delta', text: ' three' },
  { type: 'error', error: relayErrors.upstreamFailed(502, 'upstream stream failed: socket hang up') }
]

const ANSWER: CanonicalResponse = {
  id: 'msg_01',
  model: 'claude-sonnet-4-5',
  parts: [
    { type: 'text', text: 'Paris is 18C.' },
    { type: 'tool_call', id: 'toolu_9', name: 'save_note', arguments: '{"text":"18C"}', kind: 'function' }
  ],
  stop: 'tool_use',
  usage: { inputTotal: 300, cacheRead: 100, cacheWrite: 20, outputTotal: 25, reasoning: 5 }
}

/** What the fake server answers, chosen by the last user message's text. */
function reply(body: { stream?: boolean; messages?: Array<{ content?: unknown }> }): { type: string; text: string } {
  const ctx = encodeContext(true)
  if (body.stream !== true) return { type: 'application/json', text: JSON.stringify(encodeChatResponse(ANSWER, ctx)) }
  const events = body.messages?.at(-1)?.content === 'fail' ? FAILING : TOOL_TURN
  return { type: 'text/event-stream', text: encodeAll(createChatStreamEncoder(ctx), events) }
}

let server: Server
let client: OpenAI

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = ''
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')))
    req.on('end', () => {
      const { type, text } = reply(JSON.parse(raw) as Parameters<typeof reply>[0])
      res.writeHead(200, { 'content-type': type })
      res.end(text)
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'x', maxRetries: 0 })
})

afterAll(async () => {
  await new Promise(resolve => server.close(resolve))
})

describe('the openai SDK reads what the Chat adapter writes', () => {
  it('stream: text, two parallel tool calls (ids, names, parsed arguments), finish_reason and usage', async () => {
    const stream = await client.chat.completions.create({
      model: 'my-gpt',
      messages: [{ role: 'user', content: 'weather in Paris and Rome?' }],
      stream: true,
      stream_options: { include_usage: true }
    })
    let content = ''
    let finish: string | null = null
    let usage: OpenAI.CompletionUsage | null = null
    const calls: Array<{ id: string; name: string; args: string }> = []
    for await (const chunk of stream) {
      expect(chunk.model).toBe('my-gpt')
      if (chunk.usage) usage = chunk.usage
      const choice = chunk.choices[0]
      if (choice === undefined) continue
      content += choice.delta.content ?? ''
      finish = choice.finish_reason ?? finish
      for (const call of choice.delta.tool_calls ?? []) {
        const slot = (calls[call.index] ??= { id: '', name: '', args: '' })
        slot.id += call.id ?? ''
        slot.name += call.function?.name ?? ''
        slot.args += call.function?.arguments ?? ''
      }
    }
    expect(content).toBe('Let me check both cities.')
    expect(finish).toBe('tool_calls')
    expect(calls.map(c => ({ id: splitId(c.id), name: c.name, args: JSON.parse(c.args) as unknown }))).toEqual([
      { id: { id: 'call_paris' }, name: 'get_weather', args: { city: 'Paris' } },
      { id: { id: 'call_rome', opaque: GEMINI_SIG }, name: 'get_weather', args: { city: 'Rome', unit: 'c' } }
    ])
    expect(usage).toEqual({
      prompt_tokens: 900,
      completion_tokens: 42,
      total_tokens: 942,
      prompt_tokens_details: { cached_tokens: 512 },
      completion_tokens_details: { reasoning_tokens: 0 }
    })
  })

  it("stream helper: the SDK's own accumulator builds a valid final completion", async () => {
    const runner = client.chat.completions.stream({ model: 'my-gpt', messages: [{ role: 'user', content: 'weather?' }], stream_options: { include_usage: true } })
    const final = await runner.finalChatCompletion()
    const message = final.choices[0]?.message
    expect(message?.content).toBe('Let me check both cities.')
    expect(message?.tool_calls?.map(c => (c.type === 'function' ? [c.function.name, JSON.parse(c.function.arguments) as unknown] : null))).toEqual([
      ['get_weather', { city: 'Paris' }],
      ['get_weather', { city: 'Rome', unit: 'c' }]
    ])
    expect(final.choices[0]?.finish_reason).toBe('tool_calls')
    expect(final.usage?.total_tokens).toBe(942)
  })

  it('non-stream: create() parses the encodeResponse body', async () => {
    const completion = await client.chat.completions.create({ model: 'my-gpt', messages: [{ role: 'user', content: 'note it' }] })
    expect(completion.id).toBe('chatcmpl-req42')
    expect(completion.object).toBe('chat.completion')
    const choice = completion.choices[0]
    expect(choice?.finish_reason).toBe('tool_calls')
    expect(choice?.message.content).toBe('Paris is 18C.')
    const call = choice?.message.tool_calls?.[0]
    expect(call?.type === 'function' && [call.id, call.function.name, JSON.parse(call.function.arguments) as unknown]).toEqual(['toolu_9', 'save_note', { text: '18C' }])
    expect(completion.usage).toEqual({
      prompt_tokens: 300,
      completion_tokens: 25,
      total_tokens: 325,
      prompt_tokens_details: { cached_tokens: 100, cache_write_tokens: 20 },
      completion_tokens_details: { reasoning_tokens: 5 }
    })
  })

  it('§4 case 30: a mid-stream error event makes the SDK throw with our message, after the text it got', async () => {
    const stream = await client.chat.completions.create({ model: 'my-gpt', messages: [{ role: 'user', content: 'fail' }], stream: true })
    let content = ''
    const error = await (async () => {
      try {
        for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? ''
      } catch (e) {
        return e
      }
      return null
    })()
    expect(content).toBe('One two three')
    expect(error).toBeInstanceOf(APIError)
    expect(error instanceof APIError && error.message).toBe('upstream stream failed: socket hang up')
    expect(error instanceof APIError && error.code).toBe('upstream_error')
  })
})
