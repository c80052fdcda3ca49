import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ApiError, GoogleGenAI, type GenerateContentResponse } from '@google/genai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { emptyRequest } from '../../canonical/request'
import type { CanonicalResponse } from '../../canonical/response'
import type { StreamEvent } from '../../canonical/stream-event'
import { relayErrors } from '../../relay-errors'
import type { EncodeContext } from '../protocol-adapter'
import { geminiAdapter } from './index'

/** What the local server answers next, and what it saw. */
let reply = { status: 200, contentType: 'text/event-stream', body: '' }
const seen: Array<{ url: string; key: string | undefined; body: string }> = []
let server: Server
let ai: GoogleGenAI

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const key = req.headers['x-goog-api-key']
      seen.push({ url: req.url ?? '', key: typeof key === 'string' ? key : undefined, body: Buffer.concat(chunks).toString('utf8') })
      res.writeHead(reply.status, { 'content-type': reply.contentType })
      res.end(reply.body)
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  ai = new GoogleGenAI({ apiKey: 'x', httpOptions: { baseUrl: `http://127.0.0.1:${port}` } })
})

afterAll(async () => {
  await new Promise<void>(resolve => server.close(() => resolve()))
})

const ctx: EncodeContext = {
  requestId: 'req-sdk',
  clientModel: 'gemini-2.5-pro',
  request: emptyRequest('gemini-2.5-pro', true),
  createdAt: 0,
  streamFraming: 'sse'
}

/** The encoder's complete output for `events`, as the relay would write it. */
function encode(events: StreamEvent[], end = true): string {
  const encoder = geminiAdapter.client.streamEncoder(ctx)
  return events.map(e => encoder.push(e)).join('') + (end ? encoder.end() : '')
}

async function collect(stream: AsyncGenerator<GenerateContentResponse>): Promise<GenerateContentResponse[]> {
  const chunks: GenerateContentResponse[] = []
  for await (const chunk of stream) chunks.push(chunk)
  return chunks
}

describe('js-genai consumes the Gemini encoder', () => {
  it('streams text, thoughts, a function call with its args and the final usageMetadata', async () => {
    reply = {
      status: 200,
      contentType: 'text/event-stream',
      body: encode([
        { type: 'start', id: 'msg_1', model: 'claude-sonnet-4-5' },
        { type: 'reasoning_delta', text: 'Considering the file.' },
        { type: 'reasoning_done', opaque: { protocol: 'anthropic', value: 'EqQBsig' } },
        { type: 'text_delta', text: 'Let me ' },
        { type: 'text_delta', text: 'check.' },
        { type: 'tool_call_start', index: 0, id: 'toolu_01', name: 'read_file', kind: 'function' },
        { type: 'tool_call_delta', index: 0, arguments: '{"path":' },
        { type: 'tool_call_delta', index: 0, arguments: '"notes.txt","lines":[1,2]}' },
        { type: 'finish', stop: 'tool_use' },
        { type: 'usage', usage: { inputTotal: 1200, cacheRead: 1000, cacheWrite: 0, outputTotal: 240, reasoning: 200 } }
      ])
    }
    const chunks = await collect(await ai.models.generateContentStream({ model: 'gemini-2.5-pro', contents: 'Read notes.txt' }))
    // js-genai 3.x defaults to /v1 (older builds: /v1beta); the relay routes both.
    expect(seen.at(-1)?.url).toMatch(/^\/v1(beta)?\/models\/gemini-2\.5-pro:streamGenerateContent\?alt=sse$/)
    expect(seen.at(-1)?.key).toBe('x')
    expect(chunks.map(c => c.text ?? '').join('')).toBe('Let me check.')
    const thoughts = chunks.flatMap(c => c.candidates?.[0]?.content?.parts ?? []).filter(p => p.thought === true)
    expect(thoughts.map(p => p.text)).toEqual(['Considering the file.', ''])
    expect(thoughts[1]?.thoughtSignature).toBe('cuttle1.anthropic.EqQBsig')
    expect(chunks.flatMap(c => c.functionCalls ?? [])).toEqual([{ id: 'toolu_01', name: 'read_file', args: { path: 'notes.txt', lines: [1, 2] } }])
    const last = chunks.at(-1)
    expect(last?.candidates?.[0]?.finishReason).toBe('STOP')
    expect(last?.usageMetadata).toEqual({
      promptTokenCount: 1200,
      cachedContentTokenCount: 1000,
      candidatesTokenCount: 40,
      thoughtsTokenCount: 200,
      totalTokenCount: 1440
    })
    expect(last?.modelVersion).toBe('gemini-2.5-pro')
    expect(last?.responseId).toBe('msg_1')
  })

  it('parses a non-streamed encodeResponse body', async () => {
    const response: CanonicalResponse = {
      id: 'chatcmpl-1',
      model: 'gpt-5',
      parts: [
        { type: 'text', text: 'Two calls:' },
        { type: 'tool_call', id: 'call_a', name: 'search', arguments: '{"q":"cuttle"}', kind: 'function' },
        { type: 'tool_call', id: 'call_b', name: 'search', arguments: '{"q":"relay"}', kind: 'function' }
      ],
      stop: 'tool_use',
      usage: { inputTotal: 30, cacheRead: 0, cacheWrite: 0, outputTotal: 12, reasoning: 0 }
    }
    reply = { status: 200, contentType: 'application/json', body: JSON.stringify(geminiAdapter.client.encodeResponse(response, { ...ctx, streamFraming: 'sse' })) }
    const result = await ai.models.generateContent({ model: 'gemini-2.5-pro', contents: 'search twice' })
    expect(seen.at(-1)?.url).toMatch(/^\/v1(beta)?\/models\/gemini-2\.5-pro:generateContent$/)
    expect(result.text).toBe('Two calls:')
    expect(result.functionCalls).toEqual([
      { id: 'call_a', name: 'search', args: { q: 'cuttle' } },
      { id: 'call_b', name: 'search', args: { q: 'relay' } }
    ])
    expect(result.usageMetadata?.totalTokenCount).toBe(42)
  })

  it('throws on an in-band error chunk after the deltas it already yielded', async () => {
    reply = {
      status: 200,
      contentType: 'text/event-stream',
      body: encode(
        [
          { type: 'start', id: 'x', model: '' },
          { type: 'text_delta', text: 'one ' },
          { type: 'text_delta', text: 'two ' },
          { type: 'text_delta', text: 'three' },
          { type: 'error', error: relayErrors.upstreamFailed(502, 'upstream stream failed: socket hang up') }
        ],
        false
      )
    }
    const texts: string[] = []
    const consume = async (): Promise<void> => {
      for await (const chunk of await ai.models.generateContentStream({ model: 'gemini-2.5-pro', contents: 'count' })) texts.push(chunk.text ?? '')
    }
    const error: unknown = await consume().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).status).toBe(502)
    expect((error as ApiError).message).toContain('socket hang up')
    expect(texts).toEqual(['one ', 'two ', 'three'])
  })

  it('throws an ApiError with the status of an errorBody answer', async () => {
    reply = { status: 429, contentType: 'application/json', body: JSON.stringify(geminiAdapter.client.errorBody(relayErrors.upstreamRejected(429, 'Quota exceeded'))) }
    const error: unknown = await ai.models.generateContent({ model: 'gemini-2.5-pro', contents: 'hi' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).status).toBe(429)
    expect((error as ApiError).message).toContain('RESOURCE_EXHAUSTED')
  })
})
