import { describe, expect, it } from 'vitest'
import { emptyRequest } from '../../canonical/request'
import type { StreamEvent } from '../../canonical/stream-event'
import { relayErrors } from '../../relay-errors'
import type { EncodeContext } from '../protocol-adapter'
import { GeminiStreamEncoder } from './stream-encoder'

const ctx = (streamFraming: EncodeContext['streamFraming']): EncodeContext => ({
  requestId: 'req-1',
  clientModel: 'gemini-2.5-pro',
  request: emptyRequest('gemini-2.5-pro', true),
  createdAt: 0,
  streamFraming
})

/** Each push's output and the end's, in order. */
function run(events: StreamEvent[], framing: EncodeContext['streamFraming'] = 'sse', end = true): string[] {
  const encoder = new GeminiStreamEncoder(ctx(framing))
  const out = events.map(e => encoder.push(e))
  return end ? [...out, encoder.end()] : out
}
const chunk = (parts: unknown[]) => ({ candidates: [{ content: { role: 'model', parts }, index: 0 }], modelVersion: 'gemini-2.5-pro', responseId: 'up-1' })
const sse = (value: unknown): string => `data: ${JSON.stringify(value)}\r\n\r\n`
const usage = { inputTotal: 1000, cacheRead: 800, cacheWrite: 0, outputTotal: 196, reasoning: 190 }

describe('GeminiStreamEncoder', () => {
  it('writes one SSE data line per event, holds calls until complete and ends with finishReason + usageMetadata', () => {
    const out = run([
      { type: 'start', id: 'up-1', model: 'claude-x' },
      { type: 'reasoning_delta', text: 'Thinking…' },
      { type: 'reasoning_done', opaque: { protocol: 'anthropic', value: 'EqQBsig' } },
      { type: 'text_delta', text: 'Reading.' },
      { type: 'tool_call_start', index: 0, id: 'toolu_1', name: 'read', kind: 'function' },
      { type: 'tool_call_delta', index: 0, arguments: '{"path":' },
      { type: 'tool_call_start', index: 1, id: 'toolu_2', name: 'read', kind: 'function' },
      { type: 'tool_call_delta', index: 1, arguments: '{"path":"b"}' },
      { type: 'tool_call_delta', index: 0, arguments: '"a"}' },
      { type: 'finish', stop: 'tool_use' },
      { type: 'usage', usage }
    ])
    const finalChunk = {
      candidates: [{ content: { role: 'model', parts: [] }, finishReason: 'STOP', index: 0 }],
      usageMetadata: { promptTokenCount: 1000, candidatesTokenCount: 6, totalTokenCount: 1196, cachedContentTokenCount: 800, thoughtsTokenCount: 190 },
      modelVersion: 'gemini-2.5-pro',
      responseId: 'up-1'
    }
    expect(out).toEqual([
      '',
      sse(chunk([{ text: 'Thinking…', thought: true }])),
      sse(chunk([{ text: '', thought: true, thoughtSignature: 'cuttle1.anthropic.EqQBsig' }])),
      sse(chunk([{ text: 'Reading.' }])),
      '',
      '',
      '',
      '',
      '',
      sse(
        chunk([
          { functionCall: { id: 'toolu_1', name: 'read', args: { path: 'a' } } },
          { functionCall: { id: 'toolu_2', name: 'read', args: { path: 'b' } } }
        ])
      ),
      '',
      sse(finalChunk)
    ])
    expect(out.join('')).not.toContain('event:')
  })

  it('attaches a Gemini signature natively to its call and sends {} for invalid arguments', () => {
    const out = run([
      { type: 'start', id: '', model: '' },
      { type: 'tool_call_start', index: 0, id: 'call_0', name: 'f', kind: 'function', opaque: { protocol: 'gemini', value: 'g-sig' } },
      { type: 'tool_call_delta', index: 0, arguments: '{broken' }
    ])
    const body = JSON.parse(out[3]?.slice('data: '.length) ?? '') as { candidates: Array<{ content: { parts: unknown[] }; finishReason: string }>; responseId: string }
    expect(body.candidates[0]?.content.parts).toEqual([{ functionCall: { id: 'call_0', name: 'f', args: {} }, thoughtSignature: 'g-sig' }])
    expect(body.candidates[0]?.finishReason).toBe('STOP')
    expect(body.responseId).toBe('req-1')
  })

  it('flushes a held call before later text, but not on an empty delta', () => {
    const out = run(
      [
        { type: 'start', id: 'up-1', model: '' },
        { type: 'tool_call_start', index: 0, id: 'c', name: 'f', kind: 'function' },
        { type: 'tool_call_delta', index: 0, arguments: '{"a":' },
        { type: 'text_delta', text: '' },
        { type: 'tool_call_delta', index: 0, arguments: '1}' },
        { type: 'text_delta', text: 'after' }
      ],
      'sse',
      false
    )
    expect(out.slice(1, 5)).toEqual(['', '', '', ''])
    expect(out[5]).toBe(sse(chunk([{ functionCall: { id: 'c', name: 'f', args: { a: 1 } } }, { text: 'after' }])))
  })

  it('maps stop reasons to finishReason', () => {
    const reason = (stop: Extract<StreamEvent, { type: 'finish' }>['stop']): string => {
      const last = run([{ type: 'finish', stop }]).at(-1) ?? ''
      return (JSON.parse(last.slice(6)) as { candidates: Array<{ finishReason: string }> }).candidates[0]?.finishReason ?? ''
    }
    expect(['end', 'stop_sequence', 'pause', 'tool_use'].map(s => reason(s as 'end'))).toEqual(['STOP', 'STOP', 'STOP', 'STOP'])
    expect(reason('max_tokens')).toBe('MAX_TOKENS')
    expect(reason('context_window')).toBe('MAX_TOKENS')
    expect(reason('content_filter')).toBe('SAFETY')
    expect(reason('refusal')).toBe('SAFETY')
    expect(reason('malformed_tool')).toBe('MALFORMED_FUNCTION_CALL')
  })

  it('frames a JSON array for clients without alt=sse', () => {
    const out = run([{ type: 'start', id: 'up-1', model: '' }, { type: 'text_delta', text: 'a' }, { type: 'text_delta', text: 'b' }, { type: 'finish', stop: 'end' }], 'json-array')
    const text = out.join('')
    expect(text.startsWith('[{')).toBe(true)
    expect(text.endsWith('}]')).toBe(true)
    expect(text.split(',\r\n{').length).toBe(3)
    const parsed = JSON.parse(text) as Array<{ candidates: Array<{ content: { parts: Array<{ text?: string }> }; finishReason?: string }> }>
    expect(parsed.map(c => c.candidates[0]?.content.parts[0]?.text)).toEqual(['a', 'b', undefined])
    expect(parsed[2]?.candidates[0]?.finishReason).toBe('STOP')
  })

  it('ends with an error line after three deltas, never a finish chunk (§4 case 30, Gemini side)', () => {
    const events: StreamEvent[] = [
      { type: 'start', id: 'up-1', model: '' },
      { type: 'text_delta', text: 'one ' },
      { type: 'text_delta', text: 'two ' },
      { type: 'text_delta', text: 'three' },
      { type: 'error', error: relayErrors.upstreamFailed(502, 'upstream stream failed: socket hang up') }
    ]
    const out = run(events)
    expect(out[4]).toBe('data: {"error":{"code":502,"message":"upstream stream failed: socket hang up","status":"UNKNOWN"}}\r\n\r\n')
    expect(out[5]).toBe('')
    expect(out.join('')).not.toContain('finishReason')

    const array = run(events, 'json-array').join('')
    const parsed = JSON.parse(array) as unknown[]
    expect(parsed).toHaveLength(4)
    expect(parsed[3]).toEqual({ error: { code: 502, message: 'upstream stream failed: socket hang up', status: 'UNKNOWN' } })
  })

  it('writes a complete array for an error before any chunk', () => {
    const out = run([{ type: 'error', error: relayErrors.timeout('no answer in 60 s') }], 'json-array')
    expect(out.join('')).toBe('[{"error":{"code":504,"message":"no answer in 60 s","status":"DEADLINE_EXCEEDED"}}]')
  })
})
