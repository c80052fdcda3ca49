import { describe, expect, it } from 'vitest'
import type { StreamEvent } from '../../canonical/stream-event'
import { ResponsesStreamDecoder } from './stream-decoder'
import { decodeStream, fixtureText } from './test-helpers'

const errorOf = (events: StreamEvent[]) => {
  const last = events.at(-1)
  if (last?.type !== 'error') throw new Error('stream did not end in an error')
  return { status: last.error.status, code: last.error.code, message: last.error.message }
}

describe('stream decoder', () => {
  it('decodes reasoning, text, two function calls and cached usage from an OpenAI stream', () => {
    expect(decodeStream(fixtureText('upstream-reasoning-text-tools.sse'))).toEqual([
      { type: 'start', id: 'resp_68c1f0a2b9d48190a1', model: 'gpt-5-2025-08-07' },
      { type: 'reasoning_delta', text: '**Planning**\n\n' },
      { type: 'reasoning_delta', text: 'Check the weather.' },
      { type: 'reasoning_delta', text: '\n\n**Two cities**' },
      { type: 'reasoning_done', opaque: { protocol: 'openai-responses', value: 'gAAAAABowPCj-ENCRYPTED-0123456789abcdef==' }, id: 'rs_68c1f0a3c2e08190b2' },
      { type: 'text_delta', text: 'Let me check' },
      { type: 'text_delta', text: ' both cities.' },
      { type: 'tool_call_start', index: 0, id: 'call_Q1paris', name: 'get_weather', kind: 'function' },
      { type: 'tool_call_delta', index: 0, arguments: '{"city":' },
      { type: 'tool_call_delta', index: 0, arguments: '"Paris"}' },
      { type: 'tool_call_start', index: 1, id: 'call_Q2tokyo', name: 'get_weather', kind: 'function' },
      { type: 'tool_call_delta', index: 1, arguments: '{"city":"Tokyo"}' },
      { type: 'usage', usage: { inputTotal: 1523, cacheRead: 1280, cacheWrite: 0, outputTotal: 245, reasoning: 192 } },
      { type: 'finish', stop: 'tool_use' }
    ])
  })

  it('decodes a custom tool call with its raw input (case 23)', () => {
    expect(decodeStream(fixtureText('upstream-custom-tool.sse')).slice(1)).toEqual([
      { type: 'tool_call_start', index: 0, id: 'call_P4patch', name: 'apply_patch', kind: 'custom' },
      { type: 'tool_call_delta', index: 0, arguments: '*** Begin Patch\n*** Add File: hello.txt\n' },
      { type: 'tool_call_delta', index: 0, arguments: '+hi\n*** End Patch' },
      { type: 'usage', usage: { inputTotal: 900, cacheRead: 0, cacheWrite: 0, outputTotal: 40, reasoning: 0 } },
      { type: 'finish', stop: 'tool_use' }
    ])
  })

  it('emits text and arguments that only came in output_item.done exactly once; raw reasoning text too', () => {
    expect(decodeStream(fixtureText('upstream-whole-items.sse'))).toEqual([
      { type: 'start', id: 'resp_68c1f0a2b9d48190a1', model: 'gpt-oss-120b' },
      { type: 'reasoning_delta', text: 'Need to read the file.' },
      { type: 'reasoning_done', id: 'rs_x0' },
      { type: 'text_delta', text: 'Reading it now.' },
      { type: 'tool_call_start', index: 0, id: 'call_R5read', name: 'read_file', kind: 'function' },
      { type: 'tool_call_delta', index: 0, arguments: '{"path":"README.md"}' },
      { type: 'usage', usage: { inputTotal: 120, cacheRead: 0, cacheWrite: 0, outputTotal: 30, reasoning: 0 } },
      { type: 'finish', stop: 'tool_use' }
    ])
  })

  it('maps response.incomplete to max_tokens with its usage', () => {
    expect(decodeStream(fixtureText('upstream-incomplete.sse')).slice(-3)).toEqual([
      { type: 'text_delta', text: 'The answer is' },
      { type: 'usage', usage: { inputTotal: 50, cacheRead: 0, cacheWrite: 0, outputTotal: 16, reasoning: 12 } },
      { type: 'finish', stop: 'max_tokens' }
    ])
  })

  it('maps response.failed to an error with the upstream code and nothing after it', () => {
    const events = decodeStream(fixtureText('upstream-failed.sse'))
    expect(events.map(e => e.type)).toEqual(['start', 'text_delta', 'error'])
    expect(errorOf(events)).toEqual({
      status: 429,
      code: 'rate_limit_exceeded',
      message: 'Rate limit reached for gpt-5 in organization org-x on tokens per min (TPM). Please try again in 1.2s.'
    })
  })

  it('maps `error` events by code', () => {
    const run = (code: string) => {
      const decoder = new ResponsesStreamDecoder()
      return errorOf(decoder.push({ event: 'error', data: JSON.stringify({ type: 'error', sequence_number: 0, code, message: `m-${code}`, param: null }) }))
    }
    expect(run('context_length_exceeded')).toEqual({ status: 400, code: 'context_length_exceeded', message: 'm-context_length_exceeded' })
    expect(run('insufficient_quota')).toEqual({ status: 429, code: 'insufficient_quota', message: 'm-insufficient_quota' })
    expect(run('server_error')).toEqual({ status: 500, code: 'server_error', message: 'm-server_error' })
    expect(run('weird')).toEqual({ status: 502, code: 'weird', message: 'm-weird' })
  })

  it('synthesizes a finish when content arrived but no terminal event, and an error when nothing did', () => {
    const withText = new ResponsesStreamDecoder()
    withText.push({ event: 'response.output_text.delta', data: '{"type":"response.output_text.delta","output_index":0,"content_index":0,"delta":"Hi"}' })
    expect(withText.end()).toEqual([{ type: 'finish', stop: 'end' }])
    const empty = new ResponsesStreamDecoder()
    empty.push({ event: 'response.created', data: '{"type":"response.created","response":{"id":"r","model":"m"}}' })
    expect(empty.end().map(e => e.type)).toEqual(['error'])
  })

  it('skips data that is not JSON and events after the terminal one', () => {
    const decoder = new ResponsesStreamDecoder()
    expect(decoder.push({ event: null, data: 'not json' })).toEqual([])
    decoder.push({ event: null, data: '{"type":"response.completed","response":{"status":"completed","output":[]}}' })
    expect(decoder.push({ event: null, data: '{"type":"response.output_text.delta","delta":"late"}' })).toEqual([])
    expect(decoder.end()).toEqual([])
  })
})

describe('stream decoder: servers that leave output_index out', () => {
  it('matches deltas and the done item by item id, so nothing is emitted twice', () => {
    const push = (decoder: ResponsesStreamDecoder, data: object) => decoder.push({ event: null, data: JSON.stringify(data) })
    const decoder = new ResponsesStreamDecoder()
    const out = [
      ...push(decoder, { type: 'response.output_item.added', output_index: 0, item: { id: 'msg_1', type: 'message', content: [] } }),
      ...push(decoder, { type: 'response.output_text.delta', item_id: 'msg_1', delta: 'Hi' }),
      ...push(decoder, { type: 'response.output_item.done', item: { id: 'msg_1', type: 'message', content: [{ type: 'output_text', text: 'Hi' }] } }),
      ...push(decoder, { type: 'response.output_item.added', item: { id: 'fc_1', type: 'function_call', call_id: 'call_1', name: 'f', arguments: '' } }),
      ...push(decoder, { type: 'response.function_call_arguments.delta', item_id: 'fc_1', delta: '{}' }),
      ...push(decoder, { type: 'response.output_item.done', item: { id: 'fc_1', type: 'function_call', call_id: 'call_1', name: 'f', arguments: '{}' } })
    ]
    expect(out).toEqual([
      { type: 'start', id: '', model: '' },
      { type: 'text_delta', text: 'Hi' },
      { type: 'tool_call_start', index: 0, id: 'call_1', name: 'f', kind: 'function' },
      { type: 'tool_call_delta', index: 0, arguments: '{}' }
    ])
  })
})
