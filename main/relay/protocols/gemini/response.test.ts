import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { emptyRequest } from '../../canonical/request'
import type { CanonicalResponse } from '../../canonical/response'
import { RelayError } from '../../relay-errors'
import { decodeGeminiResponse, encodeGeminiResponse } from './response'

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as unknown
const ctx = { requestId: 'req-9', clientModel: 'gemini-pro-alias', request: emptyRequest('gemini-pro-alias', false), createdAt: 0, streamFraming: 'sse' as const }

describe('decodeGeminiResponse', () => {
  it('reads thoughts, text, parallel calls with their signature, tool_use and usage with cache and thoughts', () => {
    expect(decodeGeminiResponse(fixture('response-tools.json'))).toEqual({
      id: 'resp-tools-1',
      model: 'gemini-2.5-pro',
      parts: [
        { type: 'reasoning', text: 'I need the file first.', opaque: { protocol: 'gemini', value: 'EtQBCtEBAdHtim9thought==' } },
        { type: 'text', text: 'Let me read both files.' },
        { type: 'tool_call', id: 'fc_a1', name: 'read_file', arguments: '{"path":"a.txt"}', kind: 'function', opaque: { protocol: 'gemini', value: 'EtQBCtEBAdHtim9call==' } },
        { type: 'tool_call', id: 'fc_b2', name: 'read_file', arguments: '{"path":"b.txt"}', kind: 'function' }
      ],
      stop: 'tool_use',
      usage: { inputTotal: 1000, cacheRead: 800, cacheWrite: 0, outputTotal: 196, reasoning: 190 }
    })
  })

  it('accepts a JSON-array stream body and throws the upstream error of an error body', () => {
    const decoded = decodeGeminiResponse([
      { candidates: [{ content: { parts: [{ text: 'Hel' }] } }], responseId: 'r' },
      { candidates: [{ content: { parts: [{ text: 'lo' }] }, finishReason: 'MAX_TOKENS' }], usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 2 } }
    ])
    expect(decoded.parts).toEqual([{ type: 'text', text: 'Hello' }])
    expect(decoded.stop).toBe('max_tokens')
    expect(() => decodeGeminiResponse(fixture('error-429.json'))).toThrow(RelayError)
    expect(() => decodeGeminiResponse('nope')).toThrow(/GenerateContentResponse/)
  })
})

describe('encodeGeminiResponse', () => {
  it('writes candidates, finishReason, usageMetadata, the client model and sealed foreign artefacts', () => {
    const response: CanonicalResponse = {
      id: 'msg_01',
      model: 'claude-sonnet-4-5',
      parts: [
        { type: 'reasoning', text: 'Plan.', opaque: { protocol: 'anthropic', value: 'EqQBsig' } },
        { type: 'reasoning', text: '', opaque: { protocol: 'anthropic', value: 'redacted-data', redacted: true } },
        { type: 'text', text: 'Calling.' },
        { type: 'tool_call', id: 'toolu_1', name: 'read', arguments: '{"p":1}', kind: 'function' },
        { type: 'refusal', text: 'Partly refused.' }
      ],
      stop: 'tool_use',
      usage: { inputTotal: 50, cacheRead: 20, cacheWrite: 10, outputTotal: 30, reasoning: 12 }
    }
    expect(encodeGeminiResponse(response, ctx)).toEqual({
      candidates: [
        {
          content: {
            role: 'model',
            parts: [
              { text: 'Plan.', thought: true, thoughtSignature: 'cuttle1.anthropic.EqQBsig' },
              { text: '', thought: true, thoughtSignature: 'cuttle1.anthropic.r.redacted-data' },
              { text: 'Calling.' },
              { functionCall: { id: 'toolu_1', name: 'read', args: { p: 1 } } },
              { text: 'Partly refused.' }
            ]
          },
          finishReason: 'STOP',
          index: 0
        }
      ],
      usageMetadata: { promptTokenCount: 50, candidatesTokenCount: 18, totalTokenCount: 80, cachedContentTokenCount: 20, thoughtsTokenCount: 12 },
      modelVersion: 'gemini-pro-alias',
      responseId: 'msg_01'
    })
  })
})
