import { describe, expect, it } from 'vitest'
import type { StreamEvent } from '../../canonical/stream-event'
import { relayErrors, RelayError } from '../../relay-errors'
import { anthropicStreamEncoder } from './stream-encoder'
import { checkInvariants, shape, start, toolInputs } from './stream-checks'
import { decodeSse, encodeContext, encodeEvents, fixtureText, framesOf } from './test-support'

describe('anthropic stream encoder', () => {
  it('names every frame after its data.type and streams text in one block (case 1)', () => {
    const frames = framesOf(
      encodeEvents([start, { type: 'text_delta', text: 'Hel' }, { type: 'text_delta', text: '' }, { type: 'text_delta', text: 'lo' }, { type: 'finish', stop: 'end' }])
    )
    checkInvariants(frames)
    expect(shape(frames)).toEqual([
      'message_start',
      'content_block_start@0:text',
      'content_block_delta@0:text_delta',
      'content_block_delta@0:text_delta',
      'content_block_stop@0',
      'message_delta',
      'message_stop'
    ])
    expect(frames[0]?.data.message).toEqual({
      id: 'msg_0a1b2c',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 }
    })
    expect(frames[1]?.data.content_block).toEqual({ type: 'text', text: '' })
    expect(frames[5]?.data.delta).toEqual({ stop_reason: 'end_turn', stop_sequence: null })
  })

  it('opens a tool_use block at index 0 when the first content is a tool call (case 2)', () => {
    const frames = framesOf(
      encodeEvents([
        start,
        { type: 'tool_call_start', index: 0, id: 'call_1', name: 'get_weather', kind: 'function' },
        { type: 'tool_call_delta', index: 0, arguments: '{"city"' },
        { type: 'tool_call_delta', index: 0, arguments: ':"Paris"}' },
        { type: 'finish', stop: 'tool_use' }
      ])
    )
    checkInvariants(frames)
    expect(shape(frames)).toEqual([
      'message_start',
      'content_block_start@0:tool_use',
      'content_block_delta@0:input_json_delta',
      'content_block_delta@0:input_json_delta',
      'content_block_stop@0',
      'message_delta',
      'message_stop'
    ])
    expect(frames[1]?.data.content_block).toEqual({ type: 'tool_use', id: 'call_1', name: 'get_weather', input: {} })
    expect(toolInputs(frames)).toEqual([{ id: 'call_1', input: { city: 'Paris' } }])
    expect(frames[5]?.data.delta).toEqual({ stop_reason: 'tool_use', stop_sequence: null })
  })

  it('sends message_start first even when the first event is not `start`', () => {
    const frames = framesOf(encodeEvents([{ type: 'tool_call_start', index: 0, id: 'c', name: 'f', kind: 'function' }, { type: 'finish', stop: 'tool_use' }]))
    checkInvariants(frames)
    expect(shape(frames).slice(0, 2)).toEqual(['message_start', 'content_block_start@0:tool_use'])
  })

  it('puts the signature_delta on the thinking block, right before its stop, after an upstream round trip (case 3)', () => {
    const frames = framesOf(encodeEvents(decodeSse(fixtureText('upstream-thinking-tools.sse'))))
    checkInvariants(frames)
    expect(shape(frames)).toEqual([
      'message_start',
      'content_block_start@0:thinking',
      'content_block_delta@0:thinking_delta',
      'content_block_delta@0:thinking_delta',
      'content_block_delta@0:signature_delta',
      'content_block_stop@0',
      'content_block_start@1:text',
      'content_block_delta@1:text_delta',
      'content_block_stop@1',
      'content_block_start@2:tool_use',
      'content_block_delta@2:input_json_delta',
      'content_block_delta@2:input_json_delta',
      'content_block_stop@2',
      'content_block_start@3:tool_use',
      'content_block_delta@3:input_json_delta',
      'content_block_stop@3',
      'message_delta',
      'message_stop'
    ])
    expect(frames[4]?.data.delta).toEqual({ type: 'signature_delta', signature: 'EuYBCkQYAiJAsig-upstream-1==' })
    expect(toolInputs(frames)).toEqual([
      { id: 'toolu_01X', input: { file_path: '/a.txt' } },
      { id: 'toolu_01Y', input: { file_path: '/b.txt' } }
    ])
  })

  it('seals a foreign artefact as the signature, sends an empty one when there is none, and carries artefacts without text', () => {
    const frames = framesOf(
      encodeEvents([
        start,
        { type: 'reasoning_delta', text: 'plan' },
        { type: 'reasoning_done', opaque: { protocol: 'gemini', value: 'c2lnLWc=' } },
        { type: 'reasoning_delta', text: 'more' },
        { type: 'reasoning_done' },
        { type: 'reasoning_done', opaque: { protocol: 'openai-responses', value: 'gAAAAenc' } },
        { type: 'reasoning_redacted', opaque: { protocol: 'anthropic', value: 'EmwKredacted' } },
        { type: 'text_delta', text: 'ok' },
        { type: 'finish', stop: 'end' }
      ])
    )
    checkInvariants(frames)
    const signatures = frames.filter(f => (f.data.delta as { type?: string } | undefined)?.type === 'signature_delta').map(f => [f.data.index, f.data.delta])
    expect(signatures).toEqual([
      [0, { type: 'signature_delta', signature: 'cuttle1.gemini.c2lnLWc=' }],
      [1, { type: 'signature_delta', signature: '' }],
      [2, { type: 'signature_delta', signature: 'cuttle1.openai-responses.gAAAAenc' }]
    ])
    const redacted = frames.find(f => (f.data.content_block as { type?: string } | undefined)?.type === 'redacted_thinking')
    expect(redacted?.data).toEqual({ type: 'content_block_start', index: 3, content_block: { type: 'redacted_thinking', data: 'EmwKredacted' } })
  })

  it('reports usage with input_tokens excluding cache, from the last usage event (cases 6, 7, 8)', () => {
    const frames = framesOf(
      encodeEvents([
        start,
        { type: 'usage', usage: { inputTotal: 900, cacheRead: 800, cacheWrite: 0, outputTotal: 1, reasoning: 0 } },
        { type: 'text_delta', text: 'hi' },
        { type: 'finish', stop: 'end' },
        { type: 'usage', usage: { inputTotal: 1000, cacheRead: 800, cacheWrite: 0, outputTotal: 50, reasoning: 0 } }
      ])
    )
    const messageDelta = frames.find(f => f.event === 'message_delta')
    expect(messageDelta?.data.usage).toEqual({ output_tokens: 50, input_tokens: 200, cache_read_input_tokens: 800, cache_creation_input_tokens: 0 })
    expect((frames[0]?.data.message as { model?: string }).model).toBe('claude-sonnet-4-5')
  })

  it('never reports negative input tokens', () => {
    const frames = framesOf(encodeEvents([start, { type: 'usage', usage: { inputTotal: 10, cacheRead: 8, cacheWrite: 5, outputTotal: 3, reasoning: 0 } }]))
    expect(frames.find(f => f.event === 'message_delta')?.data.usage).toEqual({
      output_tokens: 3,
      input_tokens: 0,
      cache_read_input_tokens: 8,
      cache_creation_input_tokens: 5
    })
  })

  it.each([
    [{ type: 'finish', stop: 'stop_sequence', stopSequence: '###' }, 'stop_sequence', '###'],
    [{ type: 'finish', stop: 'stop_sequence' }, 'end_turn', null],
    [{ type: 'finish', stop: 'malformed_tool' }, 'end_turn', null],
    [{ type: 'finish', stop: 'max_tokens' }, 'max_tokens', null],
    [{ type: 'finish', stop: 'content_filter' }, 'refusal', null],
    [{ type: 'finish', stop: 'refusal' }, 'refusal', null],
    [{ type: 'finish', stop: 'pause' }, 'pause_turn', null],
    [{ type: 'finish', stop: 'context_window' }, 'model_context_window_exceeded', null]
  ] satisfies Array<[StreamEvent, string, string | null]>)('maps %o to stop_reason %s', (finish, reason, sequence) => {
    const frames = framesOf(encodeEvents([start, { type: 'text_delta', text: 'x' }, finish]))
    expect(frames.find(f => f.event === 'message_delta')?.data.delta).toEqual({ stop_reason: reason, stop_sequence: sequence })
  })

  it('ends a failed stream with one error frame and nothing after it (case 30)', () => {
    const encoder = anthropicStreamEncoder(encodeContext())
    let text = encoder.push(start)
    for (const piece of ['a', 'b', 'c']) text += encoder.push({ type: 'text_delta', text: piece })
    text += encoder.push({ type: 'error', error: relayErrors.upstreamFailed(502, 'upstream connection reset') })
    text += encoder.push({ type: 'text_delta', text: 'late' })
    text += encoder.end()
    const frames = framesOf(text)
    expect(frames.at(-1)).toEqual({ event: 'error', data: { type: 'error', error: { type: 'api_error', message: 'upstream connection reset' } } })
    expect(frames.filter(f => f.event === 'error')).toHaveLength(1)
    expect(frames.some(f => f.event === 'message_stop' || f.event === 'message_delta')).toBe(false)
  })

  it.each([
    [429, 'rate_limit_error'],
    [529, 'overloaded_error'],
    [504, 'timeout_error'],
    [503, 'api_error'],
    [401, 'authentication_error']
  ])('types an error of status %i as %s', (status, type) => {
    const frames = framesOf(encodeEvents([start, { type: 'error', error: new RelayError(status, 'upstream', 'x', 'boom') }]))
    expect(frames.at(-1)?.data.error).toEqual({ type, message: 'boom' })
  })
})
