import { describe, expect, it } from 'vitest'
import { RelayError, relayErrors } from '../../relay-errors'
import { anthropicAdapter } from './index'
import { fixtureJson, fixtureText } from './test-support'

describe('anthropic adapter: endpoint, errors, pass-through', () => {
  it('builds the Messages URL and headers', () => {
    const { url, headers } = anthropicAdapter.upstream
    expect(url('https://api.anthropic.com', 'm', true)).toBe('https://api.anthropic.com/v1/messages')
    expect(url('https://api.anthropic.com/', 'm', true)).toBe('https://api.anthropic.com/v1/messages')
    expect(url('https://gw.example.com/anthropic/v1/', 'm', false)).toBe('https://gw.example.com/anthropic/v1/messages')
    expect(headers('sk-ant-1', true)).toEqual({ 'x-api-key': 'sk-ant-1', 'anthropic-version': '2023-06-01', 'content-type': 'application/json', accept: 'text/event-stream' })
    expect(headers(null, false)).toEqual({ 'anthropic-version': '2023-06-01', 'content-type': 'application/json', accept: 'application/json' })
  })

  it.each([
    [400, 'invalid_request_error'],
    [401, 'authentication_error'],
    [402, 'billing_error'],
    [403, 'permission_error'],
    [404, 'not_found_error'],
    [413, 'request_too_large'],
    [429, 'rate_limit_error'],
    [500, 'api_error'],
    [502, 'api_error'],
    [503, 'api_error'],
    [504, 'timeout_error'],
    [529, 'overloaded_error'],
    [422, 'invalid_request_error']
  ])('renders status %i as %s', (status, type) => {
    expect(anthropicAdapter.client.errorBody(new RelayError(status, 'upstream', 'c', 'msg'))).toEqual({ type: 'error', error: { type, message: 'msg' } })
  })

  it('writes a pass-through stream error as a named error frame', () => {
    expect(anthropicAdapter.client.streamError(relayErrors.timeout('took too long'))).toBe(
      'event: error\ndata: {"type":"error","error":{"type":"timeout_error","message":"took too long"}}\n\n'
    )
  })

  it('reads the message of an upstream error body', () => {
    const { errorMessage } = anthropicAdapter.upstream
    expect(errorMessage(fixtureText('upstream-error-body.json'))).toBe('Number of request tokens has exceeded your per-minute rate limit')
    expect(errorMessage('{"message":"flat"}')).toBe('flat')
    expect(errorMessage('  <html>Bad Gateway</html> ')).toBe('<html>Bad Gateway</html>')
  })

  it('passes the body through with only the model changed', () => {
    const body = fixtureJson('claude-code-request.json')
    const prepared = anthropicAdapter.passThrough.prepareBody(body, 'claude-sonnet-4-5-20250929', true)
    expect(prepared).toEqual({ ...body, model: 'claude-sonnet-4-5-20250929' })
    expect(body.model).toBe('claude-sonnet-4-5')
  })

  it('takes thinking another provider minted out of a pass-through body, and thinking off when the open loop loses it', () => {
    const body = {
      model: 'claude-sonnet-4-5',
      max_tokens: 2000,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [
        { role: 'user', content: 'q1' },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'shown only', signature: '' }, { type: 'text', text: 'a1' }] },
        { role: 'user', content: 'q2' },
        { role: 'assistant', content: [{ type: 'redacted_thinking', data: 'cuttle1.openai-responses.gAAA' }] },
        { role: 'user', content: 'q3' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'gemini', signature: 'cuttle1.gemini.c2ln' },
            { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} }
          ]
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' }] }
      ]
    }
    const prepared = anthropicAdapter.passThrough.prepareBody(body, 'claude-sonnet-4-5-20250929', true)
    expect(prepared).toEqual({
      model: 'claude-sonnet-4-5-20250929',
      max_tokens: 2000,
      messages: [
        { role: 'user', content: 'q1' },
        { role: 'assistant', content: [{ type: 'text', text: 'a1' }] },
        { role: 'user', content: 'q2' },
        { role: 'user', content: 'q3' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'f', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' }] }
      ]
    })
    const olderOnly = { ...body, messages: body.messages.slice(0, 3) }
    expect(anthropicAdapter.passThrough.prepareBody(olderOnly, 'm', true).thinking).toEqual({ type: 'enabled', budget_tokens: 1024 })
  })

  it('reads usage of a body: input total includes cache reads and writes', () => {
    expect(anthropicAdapter.passThrough.usageOfBody(fixtureJson('upstream-message.json'))).toEqual({
      inputTotal: 2115,
      cacheRead: 2000,
      cacheWrite: 100,
      outputTotal: 87,
      reasoning: 40
    })
    expect(anthropicAdapter.passThrough.usageOfBody({ type: 'error' })).toBeNull()
  })

  it('taps usage from message_start and message_delta of a forwarded stream (case 6)', () => {
    const tap = anthropicAdapter.passThrough.usageTap(true)
    expect(tap.marker).toBe('"usage"')
    expect(tap.usage()).toBeNull()
    const hidden = fixtureText('upstream-thinking-tools.sse')
      .split('\n\n')
      .flatMap(block => block.split('\n').filter(line => line.startsWith('data: ')))
      .map(line => line.slice('data: '.length))
      .filter(data => data.includes(tap.marker))
      .map(data => tap.read(data))
    expect(hidden).toEqual([false, false])
    expect(tap.usage()).toEqual({ inputTotal: 970, cacheRead: 800, cacheWrite: 50, outputTotal: 210, reasoning: 0 })
    tap.read('{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":0,"input_tokens":0}}')
    expect(tap.usage()?.inputTotal).toBe(970)
  })

  it('is the anthropic protocol', () => {
    expect(anthropicAdapter.protocol).toBe('anthropic')
  })
})
