import { describe, expect, it } from 'vitest'
import { RelayError, relayErrors } from '../../relay-errors'
import { openAiResponsesAdapter } from './index'
import { codexCheck, encodeStream, frames } from './test-helpers'
import { isObject } from './types'

const usage = { inputTotal: 1523, cacheRead: 1280, cacheWrite: 64, outputTotal: 245, reasoning: 192 }

describe('stream encoder: failures and incomplete turns (case 30)', () => {
  const failed = (error: RelayError) => {
    const text = encodeStream([
      { type: 'start', id: 'x', model: 'm' },
      { type: 'text_delta', text: 'one ' },
      { type: 'text_delta', text: 'two ' },
      { type: 'text_delta', text: 'three' },
      { type: 'error', error }
    ])
    const terminal = codexCheck(text)
    expect(terminal.type).toBe('response.failed')
    expect(text).not.toContain('response.completed')
    const response = isObject(terminal.response) ? terminal.response : {}
    expect(response.status).toBe('failed')
    return response.error
  }

  it('ends a broken stream with response.failed only, in codes Codex knows', () => {
    expect(failed(relayErrors.upstreamFailed(502, 'upstream stream failed: socket hang up'))).toEqual({ code: 'server_error', message: 'upstream stream failed: socket hang up' })
    expect(failed(new RelayError(429, 'rate_limit', 'rate_limit_error', 'Resource exhausted. Please retry in 38.5s.'))).toEqual({
      code: 'rate_limit_exceeded',
      message: 'Resource exhausted. Please retry in 38.5s. Please try again in 38.5s.'
    })
    expect(failed(new RelayError(400, 'invalid_request', 'invalid_request_error', 'prompt is too long: 210000 tokens > 200000 maximum'))).toEqual({
      code: 'context_length_exceeded',
      message: 'prompt is too long: 210000 tokens > 200000 maximum'
    })
    expect(failed(new RelayError(429, 'rate_limit', 'insufficient_quota', 'You exceeded your current quota.'))).toEqual({ code: 'insufficient_quota', message: 'You exceeded your current quota.' })
  })

  it('ends max_tokens as response.incomplete (max_output_tokens) and a content filter as incomplete (content_filter)', () => {
    const run = (stop: 'max_tokens' | 'content_filter' | 'context_window') =>
      codexCheck(encodeStream([{ type: 'text_delta', text: 'Partial' }, { type: 'finish', stop }, { type: 'usage', usage }]))
    expect(run('max_tokens')).toMatchObject({
      type: 'response.incomplete',
      response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output: [{ type: 'message', status: 'incomplete' }] }
    })
    expect(run('context_window')).toMatchObject({ type: 'response.incomplete', response: { incomplete_details: { reason: 'max_output_tokens' } } })
    expect(run('content_filter')).toMatchObject({ type: 'response.incomplete', response: { incomplete_details: { reason: 'content_filter' } } })
  })

  it('writes a complete answer even when the stream has no finish, and an error as its first event', () => {
    expect(codexCheck(encodeStream([{ type: 'text_delta', text: 'x' }])).type).toBe('response.completed')
    const text = encodeStream([{ type: 'error', error: relayErrors.timeout('no answer within 300 s') }])
    expect(frames(text).map(f => f.event)).toEqual(['response.created', 'response.in_progress', 'response.failed'])
  })
})

describe('stream encoder: artefacts of other providers', () => {
  it('carries a Gemini thoughtSignature in the call_id and reads it back', () => {
    const text = encodeStream([
      { type: 'tool_call_start', index: 0, id: 'call_0', name: 'lookup', kind: 'function', opaque: { protocol: 'gemini', value: 'CiQB-sig' } },
      { type: 'tool_call_delta', index: 0, arguments: '{"q":"x"}' },
      { type: 'finish', stop: 'tool_use' }
    ])
    const item = frames(text).find(f => f.event === 'response.output_item.done')?.data.item
    const parsed = openAiResponsesAdapter.client.parseRequest({ model: 'm', input: [item] }, { model: 'm', stream: false })
    expect(parsed.messages[0]?.parts[0]).toEqual({ type: 'tool_call', id: 'call_0', name: 'lookup', arguments: '{"q":"x"}', kind: 'function', opaque: { protocol: 'gemini', value: 'CiQB-sig' } })
  })

  it('keeps a redacted thinking block redacted across the round trip', () => {
    const text = encodeStream([
      { type: 'reasoning_redacted', opaque: { protocol: 'anthropic', value: 'REDACTED==', redacted: true } },
      { type: 'text_delta', text: 'Hi' },
      { type: 'finish', stop: 'end' }
    ])
    const item = frames(text).find(f => f.event === 'response.output_item.done')?.data.item
    expect(item).toEqual({ id: 'rs_req7f3a011', type: 'reasoning', summary: [], encrypted_content: 'cuttle1.anthropic.r.REDACTED==' })
    const parsed = openAiResponsesAdapter.client.parseRequest({ model: 'm', input: [item] }, { model: 'm', stream: false })
    expect(parsed.messages[0]?.parts[0]).toEqual({ type: 'reasoning', text: '', opaque: { protocol: 'anthropic', value: 'REDACTED==', redacted: true }, id: 'rs_req7f3a011' })
  })
})
