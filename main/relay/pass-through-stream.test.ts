import { describe, expect, it } from 'vitest'
import { passThroughStream } from './pass-through-stream'
import type { Protocol } from './canonical/request'
import { protocolAdapters } from './protocols/registry'

const adapters = protocolAdapters()

/** Feeds `chunks` through a pass-through of `protocol`; what the client got and the logged failure. */
function relay(protocol: Protocol, chunks: string[], clientWantsUsage = true): { out: string; failure: string | null } {
  const { passThrough, client } = adapters[protocol]
  const transform = passThroughStream(passThrough, passThrough.usageTap(clientWantsUsage), client.streamError)
  let out = ''
  for (const chunk of chunks) out += transform.push(Buffer.from(chunk)).toString()
  out += transform.end().toString()
  return { out, failure: transform.failure() }
}

const CUT = 'upstream ended the stream early, without the event that ends a whole stream'
const chat = (choices: unknown[], usage?: unknown): string => `data: ${JSON.stringify({ id: 'c', choices, ...(usage === undefined ? {} : { usage }) })}\n\n`
const CONTENT = chat([{ index: 0, delta: { content: 'Hi' }, finish_reason: null }])
const FINISH = chat([{ index: 0, delta: {}, finish_reason: 'stop' }])
const USAGE = chat([], { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 })

describe('pass-through stream ends', () => {
  it('judges the end by the last events, whatever chunks they came in, comments left out', () => {
    const whole = `${CONTENT}${FINISH}data: [DONE]\n\n: bye\n\n`
    for (let cut = 1; cut < whole.length; cut += 7) expect(relay('openai-chat', [whole.slice(0, cut), whole.slice(cut)])).toEqual({ out: whole, failure: null })
    expect(relay('openai-chat', [CONTENT, FINISH, USAGE, ': keepalive\n\n', ': keepalive\n\n'])).toEqual({ out: CONTENT + FINISH + USAGE + ': keepalive\n\n: keepalive\n\n', failure: null })
  })

  it('Chat: a finish_reason chunk then a hidden usage chunk is a whole stream; content last is not', () => {
    expect(relay('openai-chat', [CONTENT + FINISH + USAGE], false)).toEqual({ out: CONTENT + FINISH, failure: null })
    expect(relay('openai-chat', [FINISH + CONTENT]).failure).toBe(CUT)
    expect(relay('openai-chat', [CONTENT + USAGE]).failure).toBe(CUT)
  })

  it('an in-band upstream error is the end: nothing is added after it', () => {
    const error = 'data: {"error":{"message":"overloaded"}}\n\n'
    expect(relay('openai-chat', [CONTENT + error])).toEqual({ out: CONTENT + error, failure: 'overloaded' })
  })

  it('Responses: the terminal event, named or only typed in its data', () => {
    const completed = JSON.stringify({ type: 'response.completed', response: { id: 'r', status: 'completed', usage: null } })
    expect(relay('openai-responses', [`event: response.completed\ndata: ${completed}\n\n`]).failure).toBeNull()
    expect(relay('openai-responses', [`data: ${completed}\n\n`]).failure).toBeNull()
    expect(relay('openai-responses', ['event: response.incomplete\ndata: {"type":"response.incomplete","response":{}}\n\n']).failure).toBeNull()
    expect(relay('openai-responses', ['event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"x"}\n\n']).failure).toBe(CUT)
  })

  it('Anthropic: message_stop, with or without its event line', () => {
    expect(relay('anthropic', ['event: message_stop\ndata: {"type":"message_stop"}\n\n']).failure).toBeNull()
    expect(relay('anthropic', ['data: {"type":"message_stop"}\n\n']).failure).toBeNull()
    expect(relay('anthropic', ['event: ping\ndata: {"type":"ping"}\n\n']).failure).toBe(CUT)
  })

  it('Gemini: a finishReason in the last chunk or before a usage-only one; a blocked prompt ends it too', () => {
    const text = 'data: {"candidates":[{"content":{"parts":[{"text":"x"}]}}]}\r\n\r\n'
    const finish = 'data: {"candidates":[{"content":{"parts":[]},"finishReason":"STOP"}]}\r\n\r\n'
    const usage = 'data: {"usageMetadata":{"promptTokenCount":1,"totalTokenCount":2}}\r\n\r\n'
    expect(relay('gemini', [text + finish]).failure).toBeNull()
    expect(relay('gemini', [text + finish + usage]).failure).toBeNull()
    expect(relay('gemini', ['data: {"promptFeedback":{"blockReason":"SAFETY"}}\r\n\r\n']).failure).toBeNull()
    expect(relay('gemini', [finish + text]).failure).toBe(CUT)
    // A last chunk cut in its middle is dropped: js-genai would throw on it before reading the error.
    expect(relay('gemini', [`${text}${finish}data: {"usageMeta`]).out).not.toContain('usageMeta')
    expect(relay('gemini', [text]).out).toBe(`${text}data: ${JSON.stringify({ error: { code: 502, message: CUT, status: 'UNKNOWN' } })}\r\n\r\n`)
  })

  it('a body that is JSON, not SSE, never reaches the client: its error message or a plain one ends the stream', () => {
    expect(relay('anthropic', ['\n {"type":"error",', '"error":{"type":"overloaded_error","message":"Overloaded"}}'])).toEqual({
      out: 'event: error\ndata: {"type":"error","error":{"type":"api_error","message":"Overloaded"}}\n\n',
      failure: 'Overloaded'
    })
    expect(relay('gemini', ['[{"candidates":[]}]']).failure).toBe('the upstream answered the stream request with a body that is not SSE')
  })
})
