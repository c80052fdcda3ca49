import { describe, expect, it } from 'vitest'
import type { StreamEvent } from '../../canonical/stream-event'
import { anthropicStreamDecoder } from './stream-decoder'
import { decodeSse, fixtureText } from './test-support'

const lastUsage = (events: StreamEvent[]): unknown => events.filter(e => e.type === 'usage').at(-1)

describe('anthropic stream decoder', () => {
  it('turns thinking, text and two tool_use blocks into canonical events', () => {
    const events = decodeSse(fixtureText('upstream-thinking-tools.sse')).filter(e => e.type !== 'usage')
    expect(events).toEqual([
      { type: 'start', id: 'msg_01Up', model: 'claude-sonnet-4-5-20250929' },
      { type: 'reasoning_delta', text: 'The user wants ' },
      { type: 'reasoning_delta', text: 'two files read.' },
      { type: 'reasoning_done', opaque: { protocol: 'anthropic', value: 'EuYBCkQYAiJAsig-upstream-1==' } },
      { type: 'text_delta', text: 'Reading both.' },
      { type: 'tool_call_start', index: 0, id: 'toolu_01X', name: 'Read', kind: 'function' },
      { type: 'tool_call_delta', index: 0, arguments: '{"file_path": "/a' },
      { type: 'tool_call_delta', index: 0, arguments: '.txt"}' },
      { type: 'tool_call_start', index: 1, id: 'toolu_01Y', name: 'Read', kind: 'function' },
      { type: 'tool_call_delta', index: 1, arguments: '{"file_path": "/b.txt"}' },
      { type: 'finish', stop: 'tool_use' }
    ])
  })

  it('merges message_start input/cache counts with message_delta output (case 6)', () => {
    const events = decodeSse(fixtureText('upstream-thinking-tools.sse'))
    expect(events[1]).toEqual({ type: 'usage', usage: { inputTotal: 970, cacheRead: 800, cacheWrite: 50, outputTotal: 2, reasoning: 0 } })
    expect(lastUsage(events)).toEqual({ type: 'usage', usage: { inputTotal: 970, cacheRead: 800, cacheWrite: 50, outputTotal: 210, reasoning: 0 } })
  })

  it('keeps message_start counts when message_delta repeats them as zeros', () => {
    const decoder = anthropicStreamDecoder()
    const usage = { input_tokens: 12, cache_read_input_tokens: 30, output_tokens: 1 }
    decoder.push({ event: 'message_start', data: JSON.stringify({ type: 'message_start', message: { id: 'm', model: 'c', usage } }) })
    decoder.push({ event: 'content_block_start', data: '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":"Hi"}}' })
    const events = decoder.push({
      event: 'message_delta',
      data: '{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":0,"cache_read_input_tokens":0,"output_tokens":9}}'
    })
    expect(events).toEqual([
      { type: 'usage', usage: { inputTotal: 42, cacheRead: 30, cacheWrite: 0, outputTotal: 9, reasoning: 0 } },
      { type: 'finish', stop: 'end' }
    ])
    expect(decoder.end()).toEqual([])
  })

  it('ignores server tools, numbers tool calls by call not by block, keeps redacted thinking and the stop sequence', () => {
    const events = decodeSse(fixtureText('upstream-server-tools.sse')).filter(e => e.type !== 'usage')
    expect(events).toEqual([
      { type: 'start', id: 'msg_01Srv', model: 'claude-opus-4-5' },
      { type: 'reasoning_redacted', opaque: { protocol: 'anthropic', value: 'EmwKAhgBEgy3redacted==', redacted: true } },
      { type: 'tool_call_start', index: 0, id: 'toolu_01Z', name: 'get_weather', kind: 'function' },
      { type: 'tool_call_delta', index: 0, arguments: '{"city":"Paris"}' },
      { type: 'finish', stop: 'stop_sequence', stopSequence: '###' }
    ])
  })

  it('turns `event: error` into a typed error and emits nothing after it', () => {
    const events = decodeSse(fixtureText('upstream-overloaded.sse'))
    expect(events.map(e => e.type)).toEqual(['start', 'usage', 'text_delta', 'error'])
    const last = events.at(-1)
    expect(last?.type === 'error' ? [last.error.status, last.error.kind, last.error.code, last.error.message] : null).toEqual([
      529,
      'unavailable',
      'overloaded_error',
      'Overloaded'
    ])
  })

  it.each([
    ['rate_limit_error', 429, 'rate_limit'],
    ['api_error', 500, 'upstream'],
    ['invalid_request_error', 400, 'invalid_request'],
    ['something_new', 502, 'upstream']
  ])('maps error type %s to status %i', (type, status, kind) => {
    const decoder = anthropicStreamDecoder()
    const [event] = decoder.push({ event: 'error', data: JSON.stringify({ type: 'error', error: { type, message: 'm' } }) })
    expect(event?.type === 'error' ? [event.error.status, event.error.kind] : null).toEqual([status, kind])
  })

  it('synthesizes end_turn when content arrived without message_delta, and an error when nothing did', () => {
    const cut = anthropicStreamDecoder()
    cut.push({ event: 'message_start', data: '{"type":"message_start","message":{"id":"m","model":"c","usage":{}}}' })
    cut.push({ event: 'content_block_start', data: '{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}' })
    cut.push({ event: 'content_block_delta', data: '{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hm"}}' })
    expect(cut.end()).toEqual([{ type: 'reasoning_done' }, { type: 'finish', stop: 'end' }])

    const empty = anthropicStreamDecoder()
    empty.push({ event: 'message_start', data: '{"type":"message_start","message":{"id":"m","model":"c","usage":{}}}' })
    const [event] = empty.end()
    expect(event?.type === 'error' ? event.error.status : null).toBe(502)
  })

  it('skips data that is not JSON and ping frames', () => {
    const decoder = anthropicStreamDecoder()
    expect(decoder.push({ event: 'ping', data: '{"type":"ping"}' })).toEqual([])
    expect(decoder.push({ event: 'message_start', data: 'not json' })).toEqual([])
  })
})
