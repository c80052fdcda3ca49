import { describe, expect, it } from 'vitest'
import { splitId } from '../../canonical/opaque'
import type { CanonicalResponse } from '../../canonical/response'
import { NO_USAGE } from '../../canonical/usage'
import { RelayError } from '../../relay-errors'
import { decodeAnthropicResponse, encodeAnthropicResponse } from './response'
import { encodeContext, fixtureJson } from './test-support'

const answer = (overrides: Partial<CanonicalResponse>): CanonicalResponse => ({ id: 'x', model: 'gpt-4o', parts: [], stop: 'end', usage: NO_USAGE, ...overrides })

describe('anthropic responses', () => {
  it('decodes an upstream Message, dropping server-tool blocks and summing input with cache', () => {
    expect(decodeAnthropicResponse(fixtureJson('upstream-message.json'))).toEqual({
      id: 'msg_01Full',
      model: 'claude-sonnet-4-5-20250929',
      parts: [
        { type: 'reasoning', text: 'Check the weather tool.', opaque: { protocol: 'anthropic', value: 'EqMBsig-full==' } },
        { type: 'reasoning', text: '', opaque: { protocol: 'anthropic', value: 'EmwKredacted-full==', redacted: true } },
        { type: 'text', text: 'Looking it up.' },
        { type: 'tool_call', id: 'toolu_01W', name: 'get_weather', arguments: '{"city":"Oslo","units":"metric"}', kind: 'function' }
      ],
      stop: 'tool_use',
      usage: { inputTotal: 2115, cacheRead: 2000, cacheWrite: 100, outputTotal: 87, reasoning: 40 }
    })
  })

  it('decodes the stop sequence that matched', () => {
    const upstream = { id: 'm', model: 'c', content: [], stop_reason: 'stop_sequence', stop_sequence: '###', usage: { input_tokens: 1, output_tokens: 1 } }
    const decoded = decodeAnthropicResponse(upstream)
    expect([decoded.stop, decoded.stopSequence]).toEqual(['stop_sequence', '###'])
  })

  it('refuses a body that is not a message with a 502 carrying the upstream text', () => {
    const attempt = (): unknown => decodeAnthropicResponse(fixtureJson('upstream-error-body.json'))
    expect(attempt).toThrow(RelayError)
    expect(attempt).toThrow('Number of request tokens has exceeded your per-minute rate limit')
  })

  it('encodes a Message echoing the client model, with Anthropic usage (case 7)', () => {
    const body = encodeAnthropicResponse(
      answer({
        parts: [{ type: 'text', text: 'Hi' }],
        usage: { inputTotal: 1000, cacheRead: 800, cacheWrite: 0, outputTotal: 12, reasoning: 0 }
      }),
      encodeContext()
    )
    expect(body).toEqual({
      id: 'msg_0a1b2c',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: 'Hi', citations: null }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 200, output_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 800 }
    })
  })

  it('seals foreign reasoning, rides a tool call artefact in its id, and maps refusals to text', () => {
    const body = encodeAnthropicResponse(
      answer({
        parts: [
          { type: 'reasoning', text: 'summary', opaque: { protocol: 'openai-responses', value: 'gAAAA' } },
          { type: 'reasoning', text: 'unsigned' },
          { type: 'reasoning', text: '' },
          { type: 'reasoning', text: '', opaque: { protocol: 'anthropic', value: 'EmwK', redacted: true } },
          { type: 'text', text: '' },
          { type: 'refusal', text: 'I cannot help with that.' },
          { type: 'tool_call', id: 'call_3', name: 'f', arguments: '{"a":1}', kind: 'function', opaque: { protocol: 'gemini', value: 'dGhvdWdodA==' } }
        ],
        stop: 'content_filter'
      }),
      encodeContext()
    )
    expect(body.content.slice(0, 4)).toEqual([
      { type: 'thinking', thinking: 'summary', signature: 'cuttle1.openai-responses.gAAAA' },
      { type: 'thinking', thinking: 'unsigned', signature: '' },
      { type: 'redacted_thinking', data: 'EmwK' },
      { type: 'text', text: 'I cannot help with that.', citations: null }
    ])
    const toolUse = body.content[4]
    expect(toolUse?.type === 'tool_use' ? [splitId(toolUse.id), toolUse.input] : null).toEqual([
      { id: 'call_3', opaque: { protocol: 'gemini', value: 'dGhvdWdodA==' } },
      { a: 1 }
    ])
    expect(toolUse?.type === 'tool_use' ? toolUse.id : '').toMatch(/^[a-zA-Z0-9_-]+$/)
    expect(body.stop_reason).toBe('refusal')
  })

  it('reports stop_sequence only when the sequence is known', () => {
    const known = encodeAnthropicResponse(answer({ stop: 'stop_sequence', stopSequence: 'END' }), encodeContext())
    expect(known).toMatchObject({ stop_reason: 'stop_sequence', stop_sequence: 'END' })
    expect(encodeAnthropicResponse(answer({ stop: 'stop_sequence' }), encodeContext())).toMatchObject({ stop_reason: 'end_turn', stop_sequence: null })
  })
})
