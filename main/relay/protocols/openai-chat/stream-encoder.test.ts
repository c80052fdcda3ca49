import { describe, expect, it } from 'vitest'
import { splitId } from '../../canonical/opaque'
import type { StreamEvent } from '../../canonical/stream-event'
import { relayErrors } from '../../relay-errors'
import { chunksOf, encodeAll, encodeContext } from './fixtures/fixtures'
import { createChatStreamEncoder } from './stream-encoder'

const USAGE = { inputTotal: 1000, cacheRead: 800, cacheWrite: 100, outputTotal: 50, reasoning: 20 }
const TEXT_TURN: StreamEvent[] = [
  { type: 'start', id: 'msg_up', model: 'claude-sonnet-4-5' },
  { type: 'text_delta', text: 'Hi' },
  { type: 'finish', stop: 'end' },
  // Anthropic and Chat upstreams may report the final usage after the finish.
  { type: 'usage', usage: USAGE }
]
const HEAD = { id: 'chatcmpl-req42', object: 'chat.completion.chunk', created: 1_760_000_000, model: 'my-gpt' }
const choice = (delta: Record<string, unknown>, finish: string | null = null) => ({ ...HEAD, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] })

describe('chat stream encoder', () => {
  it('§4 case 27: with include_usage, exactly one choices:[] usage chunk, right before [DONE]', () => {
    const text = encodeAll(createChatStreamEncoder(encodeContext(true)), TEXT_TURN)
    expect(chunksOf(text)).toEqual([
      choice({ role: 'assistant', content: '' }),
      choice({ content: 'Hi' }),
      choice({}, 'stop'),
      {
        ...HEAD,
        choices: [],
        usage: {
          prompt_tokens: 1000,
          completion_tokens: 50,
          total_tokens: 1050,
          prompt_tokens_details: { cached_tokens: 800, cache_write_tokens: 100 },
          completion_tokens_details: { reasoning_tokens: 20 }
        }
      },
      '[DONE]'
    ])
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true)
  })

  it('§4 case 27: without include_usage, no choices:[] chunk at all', () => {
    const chunks = chunksOf(encodeAll(createChatStreamEncoder(encodeContext(false)), TEXT_TURN))
    expect(chunks).toEqual([choice({ role: 'assistant', content: '' }), choice({ content: 'Hi' }), choice({}, 'stop'), '[DONE]'])
  })

  it('reasoning → reasoning_content, refusal → refusal, tool calls with canonical indices and attached artefacts', () => {
    const opaque = { protocol: 'gemini' as const, value: 'thought-sig==' }
    const events: StreamEvent[] = [
      { type: 'start', id: 'x', model: 'gemini-2.5-pro' },
      { type: 'reasoning_delta', text: 'Plan' },
      { type: 'reasoning_done', opaque: { protocol: 'gemini', value: 'ignored' } },
      { type: 'refusal_delta', text: 'Partly no.' },
      { type: 'tool_call_start', index: 0, id: 'call_0', name: 'read', kind: 'function', opaque },
      { type: 'tool_call_start', index: 1, id: 'call_1', name: 'apply_patch', kind: 'custom' },
      { type: 'tool_call_delta', index: 0, arguments: '{"p":1}' },
      { type: 'tool_call_delta', index: 1, arguments: '*** Begin Patch' },
      { type: 'tool_call_delta', index: 1, arguments: '' },
      { type: 'finish', stop: 'tool_use' }
    ]
    const chunks = chunksOf(encodeAll(createChatStreamEncoder(encodeContext(false)), events))
    const id0 = ((chunks[3] as { choices: Array<{ delta: { tool_calls: Array<{ id: string }> } }> }).choices[0]?.delta.tool_calls[0]?.id) ?? ''
    expect(splitId(id0)).toEqual({ id: 'call_0', opaque })
    expect(chunks).toEqual([
      choice({ role: 'assistant', content: '' }),
      choice({ reasoning_content: 'Plan' }),
      choice({ refusal: 'Partly no.' }),
      choice({ tool_calls: [{ index: 0, id: id0, type: 'function', function: { name: 'read', arguments: '' } }] }),
      choice({ tool_calls: [{ index: 1, id: 'call_1', type: 'custom', custom: { name: 'apply_patch', input: '' } }] }),
      choice({ tool_calls: [{ index: 0, function: { arguments: '{"p":1}' } }] }),
      choice({ tool_calls: [{ index: 1, custom: { input: '*** Begin Patch' } }] }),
      choice({}, 'tool_calls'),
      '[DONE]'
    ])
  })

  it('maps every stop reason to a finish_reason', () => {
    const reasons = (['end', 'stop_sequence', 'pause', 'malformed_tool', 'max_tokens', 'context_window', 'tool_use', 'content_filter', 'refusal'] as const).map(stop => {
      const chunks = chunksOf(encodeAll(createChatStreamEncoder(encodeContext(false)), [{ type: 'start', id: '', model: '' }, { type: 'finish', stop }]))
      return (chunks[1] as { choices: Array<{ finish_reason: string }> }).choices[0]?.finish_reason
    })
    expect(reasons).toEqual(['stop', 'stop', 'stop', 'stop', 'length', 'length', 'tool_calls', 'content_filter', 'content_filter'])
  })

  it('§4 case 30 (chat side): upstream dies after 3 deltas → one {"error":…} chunk, no finish, no [DONE]', () => {
    const encoder = createChatStreamEncoder(encodeContext(true))
    const error = relayErrors.upstreamFailed(502, 'upstream stream failed: socket hang up')
    const events: StreamEvent[] = [
      { type: 'start', id: 'a', model: 'b' },
      { type: 'text_delta', text: 'One' },
      { type: 'text_delta', text: ' two' },
      { type: 'text_delta', text: ' three' },
      { type: 'error', error }
    ]
    const text = events.map(e => encoder.push(e)).join('')
    expect(encoder.push({ type: 'text_delta', text: 'late' })).toBe('')
    expect(encoder.end()).toBe('')
    const chunks = chunksOf(text)
    expect(chunks.at(-1)).toEqual({ error: { message: 'upstream stream failed: socket hang up', type: 'server_error', param: null, code: 'upstream_error' } })
    expect(chunks).toHaveLength(5)
    expect(text).not.toContain('[DONE]')
    expect(text).not.toContain('finish_reason":"')
  })

  it('writes the role chunk even when the first event is content, and a missing finish before [DONE]', () => {
    const encoder = createChatStreamEncoder(encodeContext(false))
    const text = encoder.push({ type: 'text_delta', text: 'x' }) + encoder.push({ type: 'text_delta', text: '' }) + encoder.end()
    expect(chunksOf(text)).toEqual([choice({ role: 'assistant', content: '' }), choice({ content: 'x' }), choice({}, 'stop'), '[DONE]'])
  })
})
