import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { StreamEvent } from '../../canonical/stream-event'
import { parseSseBlock } from '../../sse'
import { GeminiStreamDecoder } from './stream-decoder'

/** Feeds a recorded `.sse` fixture block by block, then ends the stream. */
function decode(name: string): StreamEvent[] {
  const text = readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')
  const decoder = new GeminiStreamDecoder()
  const events = text.split(/\r?\n\r?\n/).flatMap(block => {
    const event = parseSseBlock(block)
    return event === null ? [] : decoder.push(event)
  })
  return [...events, ...decoder.end()]
}

const chunk = (value: unknown) => ({ event: null, data: JSON.stringify(value) })

describe('GeminiStreamDecoder', () => {
  it('decodes thoughts, text, a trailing signature and usage with thoughts counted as output (§4 case 13)', () => {
    expect(decode('stream-thinking-text.sse')).toEqual([
      { type: 'start', id: 'aQ3MaPvQBvHUz7IPq4a-sAY', model: 'gemini-2.5-flash' },
      { type: 'reasoning_delta', text: '**Planning the reply**\nThe user greets me.' },
      { type: 'usage', usage: { inputTotal: 12, cacheRead: 0, cacheWrite: 0, outputTotal: 0, reasoning: 0 } },
      { type: 'reasoning_delta', text: ' I will answer kindly.' },
      { type: 'reasoning_done' },
      { type: 'text_delta', text: 'Hello! How can' },
      { type: 'usage', usage: { inputTotal: 12, cacheRead: 0, cacheWrite: 0, outputTotal: 193, reasoning: 190 } },
      { type: 'text_delta', text: ' I help you today?' },
      { type: 'usage', usage: { inputTotal: 12, cacheRead: 0, cacheWrite: 0, outputTotal: 196, reasoning: 190 } },
      { type: 'reasoning_done', opaque: { protocol: 'gemini', value: 'CiQB0e2Kb1Zsig+trailing==' } },
      { type: 'finish', stop: 'end' },
      { type: 'usage', usage: { inputTotal: 12, cacheRead: 4, cacheWrite: 0, outputTotal: 196, reasoning: 190 } }
    ])
  })

  it('reports tool_use when the calls and the STOP arrive in different chunks (§4 case 12)', () => {
    // Synthesized ids carry a tag of the responseId, so another response's `call_0` cannot collide.
    const tag = createHash('sha256').update('resp-calls-1').digest('hex').slice(0, 8)
    expect(decode('stream-parallel-calls.sse')).toEqual([
      { type: 'start', id: 'resp-calls-1', model: 'gemini-3-pro-preview' },
      {
        type: 'tool_call_start',
        index: 0,
        id: `call_${tag}_0`,
        name: 'get_weather',
        kind: 'function',
        opaque: { protocol: 'gemini', value: 'CiwBVKhc7sig-call-one==' }
      },
      { type: 'tool_call_delta', index: 0, arguments: '{"city":"Paris"}' },
      { type: 'tool_call_start', index: 1, id: `call_${tag}_1`, name: 'get_weather', kind: 'function' },
      { type: 'tool_call_delta', index: 1, arguments: '{"city":"Berlin"}' },
      { type: 'usage', usage: { inputTotal: 88, cacheRead: 0, cacheWrite: 0, outputTotal: 112, reasoning: 82 } },
      { type: 'finish', stop: 'tool_use' },
      { type: 'usage', usage: { inputTotal: 98, cacheRead: 0, cacheWrite: 0, outputTotal: 112, reasoning: 82 } }
    ])
  })

  it('turns a blocked prompt into a content_filter finish', () => {
    expect(decode('stream-blocked.sse')).toEqual([
      { type: 'start', id: 'blocked-1', model: 'gemini-2.5-flash' },
      { type: 'finish', stop: 'content_filter' },
      { type: 'usage', usage: { inputTotal: 9, cacheRead: 0, cacheWrite: 0, outputTotal: 0, reasoning: 0 } }
    ])
  })

  it('turns an in-band error into an error event and nothing after it', () => {
    const events = decode('stream-error.sse')
    expect(events.slice(0, 2)).toEqual([
      { type: 'start', id: 'err-1', model: 'gemini-2.5-pro' },
      { type: 'text_delta', text: 'Partial answer' }
    ])
    expect(events).toHaveLength(3)
    const last = events[2]
    expect(last?.type).toBe('error')
    if (last?.type === 'error') {
      expect(last.error.status).toBe(503)
      expect(last.error.kind).toBe('unavailable')
      expect(last.error.message).toBe('The model is overloaded. Please try again later.')
    }
  })

  it('maps finish reasons, ids and keeps explicit call ids', () => {
    const finish = (reason: string): unknown => {
      const d = new GeminiStreamDecoder()
      return d.push(chunk({ candidates: [{ content: { parts: [{ text: 'x' }] }, finishReason: reason }] })).at(-1)
    }
    expect(finish('STOP')).toEqual({ type: 'finish', stop: 'end' })
    expect(finish('MAX_TOKENS')).toEqual({ type: 'finish', stop: 'max_tokens' })
    for (const reason of ['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'LANGUAGE'])
      expect(finish(reason)).toEqual({ type: 'finish', stop: 'content_filter' })
    for (const reason of ['MALFORMED_FUNCTION_CALL', 'UNEXPECTED_TOOL_CALL', 'TOO_MANY_TOOL_CALLS'])
      expect(finish(reason)).toEqual({ type: 'finish', stop: 'malformed_tool' })
    expect(finish('OTHER')).toEqual({ type: 'finish', stop: 'end' })

    const d = new GeminiStreamDecoder()
    const events = d.push(chunk({ candidates: [{ content: { parts: [{ functionCall: { id: 'abc', name: 'f' } }] }, finishReason: 'MAX_TOKENS' }] }))
    expect(events.slice(1)).toEqual([
      { type: 'tool_call_start', index: 0, id: 'abc', name: 'f', kind: 'function' },
      { type: 'tool_call_delta', index: 0, arguments: '{}' },
      { type: 'finish', stop: 'tool_use' }
    ])
    expect(events[0]?.type === 'start' && events[0].id.startsWith('gemini-')).toBe(true)
  })

  it('synthesizes a finish at the end when content came without one, an error when nothing came', () => {
    const withText = new GeminiStreamDecoder()
    withText.push(chunk({ candidates: [{ content: { parts: [{ text: 'hi' }] } }] }))
    expect(withText.end()).toEqual([{ type: 'finish', stop: 'end' }])
    const withCall = new GeminiStreamDecoder()
    withCall.push(chunk({ candidates: [{ content: { parts: [{ functionCall: { name: 'f', args: {} } }] } }] }))
    expect(withCall.end()).toEqual([{ type: 'finish', stop: 'tool_use' }])
    const empty = new GeminiStreamDecoder()
    empty.push({ event: null, data: 'not json' })
    const [only] = empty.end()
    expect(only?.type).toBe('error')
  })
})
