import { describe, expect, it } from 'vitest'
import type { StreamEvent } from '../../canonical/stream-event'
import { decodeFixture } from './fixtures/fixtures'
import { createChatStreamDecoder } from './stream-decoder'

const decode = (name: string): StreamEvent[] => decodeFixture(createChatStreamDecoder(), name)
const data = (value: unknown) => ({ event: null, data: JSON.stringify(value) })
const chunk = (delta: Record<string, unknown>, finish: string | null = null) => data({ id: 'c', model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })

/** Arguments per canonical call index, concatenated. */
function argumentsByCall(events: StreamEvent[]): Record<number, string> {
  const out: Record<number, string> = {}
  for (const e of events) if (e.type === 'tool_call_delta') out[e.index] = (out[e.index] ?? '') + e.arguments
  return out
}

describe('chat stream decoder', () => {
  it('text, then usage from the choices:[] chunk after finish', () => {
    expect(decode('stream-text-usage.sse')).toEqual([
      { type: 'start', id: 'chatcmpl-t1', model: 'gpt-4o-2024-08-06' },
      { type: 'text_delta', text: 'Hello' },
      { type: 'text_delta', text: ', world' },
      { type: 'finish', stop: 'end' },
      { type: 'usage', usage: { inputTotal: 1000, cacheRead: 800, cacheWrite: 0, outputTotal: 12, reasoning: 0 } }
    ])
  })

  it('two parallel calls with sequential fragments', () => {
    expect(decode('stream-parallel-tools.sse')).toEqual([
      { type: 'start', id: 'chatcmpl-p1', model: 'gpt-4o' },
      { type: 'tool_call_start', index: 0, id: 'call_paris', name: 'get_weather', kind: 'function' },
      { type: 'tool_call_delta', index: 0, arguments: '{"city":' },
      { type: 'tool_call_delta', index: 0, arguments: '"Paris"}' },
      { type: 'tool_call_start', index: 1, id: 'call_rome', name: 'get_weather', kind: 'function' },
      { type: 'tool_call_delta', index: 1, arguments: '{"city":"Rome"}' },
      { type: 'finish', stop: 'tool_use' },
      { type: 'usage', usage: { inputTotal: 80, cacheRead: 0, cacheWrite: 0, outputTotal: 40, reasoning: 0 } }
    ])
  })

  it('§4 case 4: interleaved fragments (0,1,0,1) go to the right call', () => {
    const events = decode('stream-interleaved-tools.sse')
    expect(events.filter(e => e.type === 'tool_call_start')).toEqual([
      { type: 'tool_call_start', index: 0, id: 'call_0', name: 'read_file', kind: 'function' },
      { type: 'tool_call_start', index: 1, id: 'call_1', name: 'list_dir', kind: 'function' }
    ])
    expect(events.filter(e => e.type === 'tool_call_delta').map(e => (e.type === 'tool_call_delta' ? e.index : -1))).toEqual([0, 1, 0, 1])
    const args = argumentsByCall(events)
    expect(JSON.parse(args[0] ?? '')).toEqual({ path: 'a.txt' })
    expect(JSON.parse(args[1] ?? '')).toEqual({ dir: 'src' })
    expect(events.at(-1)).toEqual({ type: 'finish', stop: 'tool_use' })
  })

  it('§4 case 5: id/type/name repeated on every fragment → exactly one start per call', () => {
    const events = decode('stream-repeated-ids.sse')
    expect(events.filter(e => e.type === 'tool_call_start')).toEqual([
      { type: 'tool_call_start', index: 0, id: 'call_x', name: 'run', kind: 'function' },
      { type: 'tool_call_start', index: 1, id: 'call_y', name: 'run', kind: 'function' }
    ])
    expect(argumentsByCall(events)).toEqual({ 0: '{"cmd":"ls"}', 1: '{"cmd":"pwd"}' })
  })

  it('reasoning_content deltas, closed before the text; usage on the finish chunk', () => {
    expect(decode('stream-reasoning.sse')).toEqual([
      { type: 'start', id: 'ds-1', model: 'deepseek-reasoner' },
      { type: 'reasoning_delta', text: 'Let me think' },
      { type: 'reasoning_delta', text: ' about it.' },
      { type: 'reasoning_done' },
      { type: 'text_delta', text: 'The answer' },
      { type: 'text_delta', text: ' is 4.' },
      { type: 'finish', stop: 'end' },
      { type: 'usage', usage: { inputTotal: 20, cacheRead: 0, cacheWrite: 0, outputTotal: 30, reasoning: 22 } }
    ])
  })

  it('content, finish_reason and usage in one chunk, no [DONE]', () => {
    expect(decode('stream-single-chunk.sse')).toEqual([
      { type: 'start', id: 'fake-1', model: 'gemma-3' },
      { type: 'text_delta', text: 'All in one.' },
      { type: 'finish', stop: 'max_tokens' },
      { type: 'usage', usage: { inputTotal: 5, cacheRead: 0, cacheWrite: 0, outputTotal: 3, reasoning: 0 } }
    ])
  })

  it('a chunk with a top-level error → one error event (status from the error), nothing after it', () => {
    const events = decode('stream-error.sse')
    expect(events.map(e => e.type)).toEqual(['start', 'text_delta', 'text_delta', 'text_delta', 'error'])
    const last = events.at(-1)
    expect(last?.type === 'error' && { status: last.error.status, kind: last.error.kind, message: last.error.message }).toEqual({
      status: 429,
      kind: 'rate_limit',
      message: 'Rate limit reached for gpt-4o'
    })
  })

  it('an error without a status is a 502; an `event: error` frame counts too', () => {
    const a = createChatStreamDecoder().push(data({ error: { message: 'boom', type: 'server_error' } }))
    expect(a[0]?.type === 'error' && [a[0].error.status, a[0].error.code, a[0].error.message]).toEqual([502, 'server_error', 'boom'])
    const b = createChatStreamDecoder().push({ event: 'error', data: JSON.stringify({ message: 'overloaded', status: 503 }) })
    expect(b[0]?.type === 'error' && [b[0].error.status, b[0].error.kind]).toEqual([503, 'unavailable'])
  })

  it('finish_reason mapping: length, content_filter, function_call; stop after tool calls is tool_use', () => {
    const finish = (reason: string, delta: Record<string, unknown> = { content: 'x' }) => {
      const d = createChatStreamDecoder()
      return [...d.push(chunk(delta, reason)), ...d.end()].find(e => e.type === 'finish')
    }
    expect(finish('length')).toEqual({ type: 'finish', stop: 'max_tokens' })
    expect(finish('content_filter')).toEqual({ type: 'finish', stop: 'content_filter' })
    expect(finish('function_call', { function_call: { name: 'f', arguments: '{}' } })).toEqual({ type: 'finish', stop: 'tool_use' })
    expect(finish('stop', { tool_calls: [{ index: 0, id: 'a', function: { name: 'f', arguments: '{}' } }] })).toEqual({ type: 'finish', stop: 'tool_use' })
  })

  it('end(): content without finish → synthesized finish; nothing at all → error', () => {
    const d = createChatStreamDecoder()
    d.push(chunk({ content: 'partial' }))
    expect(d.end()).toEqual([{ type: 'finish', stop: 'end' }])
    const t = createChatStreamDecoder()
    t.push(chunk({ reasoning_content: 'hm' }))
    t.push(chunk({ tool_calls: [{ index: 0, id: 'a', function: { name: 'f', arguments: '' } }] }))
    expect(t.end()).toEqual([{ type: 'finish', stop: 'tool_use' }])
    const empty = createChatStreamDecoder()
    expect(empty.push(chunk({ role: 'assistant' }))).toEqual([{ type: 'start', id: 'c', model: 'm' }])
    const ended = empty.end()
    expect(ended.map(e => e.type)).toEqual(['error'])
    expect(ended[0]?.type === 'error' && ended[0].error.status).toBe(502)
  })

  it('ignores junk, other choices and anything after finish; a call whose name comes late starts then', () => {
    const d = createChatStreamDecoder()
    const events = [
      ...d.push({ event: null, data: 'not json' }),
      ...d.push(data({ id: 'c', model: 'm', choices: [{ index: 1, delta: { content: 'other choice' } }] })),
      ...d.push(chunk({ tool_calls: [{ index: 0, id: 'call_late', function: { arguments: '{"a":' } }] })),
      ...d.push(chunk({ tool_calls: [{ index: 0, function: { name: 'late', arguments: '1}' } }] })),
      ...d.push(chunk({ tool_calls: [{ index: 0, type: 'custom', custom: {}, function: { arguments: '' } }] }, 'tool_calls')),
      ...d.push(chunk({ content: 'after finish' })),
      ...d.push({ event: null, data: '[DONE]' }),
      ...d.end()
    ]
    expect(events).toEqual([
      { type: 'start', id: 'c', model: 'm' },
      { type: 'tool_call_start', index: 0, id: 'call_late', name: 'late', kind: 'function' },
      { type: 'tool_call_delta', index: 0, arguments: '{"a":' },
      { type: 'tool_call_delta', index: 0, arguments: '1}' },
      { type: 'finish', stop: 'tool_use' }
    ])
  })

  it('custom tool call fragments (OpenAI free-form tools) and calls that all claim index 0', () => {
    const d = createChatStreamDecoder()
    const events = [
      ...d.push(chunk({ tool_calls: [{ index: 0, id: 'call_p', type: 'custom', custom: { name: 'apply_patch', input: '' } }] })),
      ...d.push(chunk({ tool_calls: [{ index: 0, custom: { input: '*** Begin' } }] })),
      ...d.push(chunk({ tool_calls: [{ index: 0, id: 'call_q', type: 'function', function: { name: 'f', arguments: '{}' } }] }))
    ]
    expect(events.slice(1)).toEqual([
      { type: 'tool_call_start', index: 0, id: 'call_p', name: 'apply_patch', kind: 'custom' },
      { type: 'tool_call_delta', index: 0, arguments: '*** Begin' },
      { type: 'tool_call_start', index: 1, id: 'call_q', name: 'f', kind: 'function' },
      { type: 'tool_call_delta', index: 1, arguments: '{}' }
    ])
  })
})
