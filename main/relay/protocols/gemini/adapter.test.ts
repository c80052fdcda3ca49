import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { relayErrors, RelayError } from '../../relay-errors'
import { geminiAdapter } from './index'
import { usageFromGemini } from './usage'

const errorBody = readFileSync(new URL('./fixtures/error-429.json', import.meta.url), 'utf8')

describe('geminiAdapter endpoint', () => {
  const { url, headers } = geminiAdapter.upstream

  it('adds /v1beta to a bare origin and uses a base path as the API root', () => {
    expect(url('https://generativelanguage.googleapis.com', 'gemini-2.5-pro', false)).toBe(
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:generateContent'
    )
    expect(url('https://generativelanguage.googleapis.com/', 'models/gemini-2.5-flash', true)).toBe(
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse'
    )
    expect(url('https://host/v1beta', 'gemini-3-pro-preview', true)).toBe('https://host/v1beta/models/gemini-3-pro-preview:streamGenerateContent?alt=sse')
    expect(url('https://proxy.example/gemini/v1/', 'my model', false)).toBe('https://proxy.example/gemini/v1/models/my%20model:generateContent')
  })

  it('sends the key in x-goog-api-key', () => {
    expect(headers('AIza-key', true)).toEqual({ 'content-type': 'application/json', accept: 'text/event-stream', 'x-goog-api-key': 'AIza-key' })
    expect(headers(null, false)).toEqual({ 'content-type': 'application/json', accept: 'application/json' })
  })
})

describe('geminiAdapter errors', () => {
  it('renders RelayErrors as google.rpc statuses', () => {
    const body = (e: RelayError) => geminiAdapter.client.errorBody(e)
    expect(body(relayErrors.invalidRequest('contents must be an array'))).toEqual({ error: { code: 400, message: 'contents must be an array', status: 'INVALID_ARGUMENT' } })
    expect(body(relayErrors.invalidKey())).toEqual({ error: { code: 401, message: 'Invalid API key.', status: 'UNAUTHENTICATED' } })
    expect(body(relayErrors.modelNotAllowed('k', 'm'))).toMatchObject({ error: { code: 403, status: 'PERMISSION_DENIED' } })
    expect(body(relayErrors.modelNotFound('m'))).toMatchObject({ error: { code: 404, status: 'NOT_FOUND' } })
    expect(body(relayErrors.payloadTooLarge(10))).toMatchObject({ error: { code: 413, status: 'INVALID_ARGUMENT' } })
    expect(body(new RelayError(429, 'rate_limit', 'rate', 'slow down'))).toMatchObject({ error: { code: 429, status: 'RESOURCE_EXHAUSTED' } })
    expect(body(relayErrors.internal())).toMatchObject({ error: { code: 500, status: 'INTERNAL' } })
    expect(body(relayErrors.noChannel('m'))).toMatchObject({ error: { code: 503, status: 'UNAVAILABLE' } })
    expect(body(relayErrors.timeout('late'))).toMatchObject({ error: { code: 504, status: 'DEADLINE_EXCEEDED' } })
    expect(body(relayErrors.upstreamFailed(502, 'bad gateway'))).toMatchObject({ error: { code: 502, status: 'UNKNOWN' } })
    expect(geminiAdapter.client.streamError(relayErrors.timeout('late'))).toBe('data: {"error":{"code":504,"message":"late","status":"DEADLINE_EXCEEDED"}}\r\n\r\n')
  })

  it('reads the message of an upstream error body, plain or in an array', () => {
    const { errorMessage } = geminiAdapter.upstream
    expect(errorMessage(errorBody)).toBe('Resource has been exhausted (e.g. check quota).')
    expect(errorMessage(`[${errorBody}]`)).toBe('Resource has been exhausted (e.g. check quota).')
    expect(errorMessage('  <html>Bad Gateway</html>\n')).toBe('<html>Bad Gateway</html>')
  })
})

describe('geminiAdapter pass-through', () => {
  const { passThrough } = geminiAdapter

  it('leaves the body untouched (the model is in the URL)', () => {
    const body = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }], generation_config: { temperature: 1 } }
    expect(passThrough.prepareBody(body, 'gemini-2.5-pro', true)).toBe(body)
  })

  it('reads usage of a body and keeps the last usageMetadata of a stream', () => {
    expect(passThrough.usageOfBody({ usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, thoughtsTokenCount: 7, cachedContentTokenCount: 4 } })).toEqual({
      inputTotal: 10,
      cacheRead: 4,
      cacheWrite: 0,
      outputTotal: 12,
      reasoning: 7
    })
    expect(passThrough.usageOfBody({ candidates: [] })).toBeNull()
    const tap = passThrough.usageTap(true)
    expect(tap.marker).toBe('"usageMetadata"')
    expect(tap.usage()).toBeNull()
    expect(tap.read('{"candidates":[],"usageMetadata":{"promptTokenCount":10,"totalTokenCount":10}}')).toBe(false)
    expect(tap.read('{"candidates":[],"usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":6,"thoughtsTokenCount":190}}')).toBe(false)
    expect(tap.read('{"text":"the word \\"usageMetadata\\" in prose"}')).toBe(false)
    expect(tap.usage()).toEqual({ inputTotal: 10, cacheRead: 0, cacheWrite: 0, outputTotal: 196, reasoning: 190 })
  })
})

describe('usageFromGemini (§4 case 13)', () => {
  it('counts thoughts as output and tool-use prompt tokens as input', () => {
    expect(usageFromGemini({ promptTokenCount: 100, toolUsePromptTokenCount: 20, candidatesTokenCount: 6, thoughtsTokenCount: 190, totalTokenCount: 316 })).toEqual({
      inputTotal: 120,
      cacheRead: 0,
      cacheWrite: 0,
      outputTotal: 196,
      reasoning: 190
    })
    expect(usageFromGemini({ prompt_token_count: 5, candidates_token_count: -1 })).toEqual({ inputTotal: 5, cacheRead: 0, cacheWrite: 0, outputTotal: 0, reasoning: 0 })
    expect(usageFromGemini(null)).toBeNull()
  })
})
