import { describe, expect, it } from 'vitest'
import { RelayError, relayErrors } from '../../relay-errors'
import { openAiResponsesAdapter } from './index'
import { fixtureText, frames, sseEvents } from './test-helpers'

const { upstream, client, passThrough } = openAiResponsesAdapter

describe('endpoint and headers', () => {
  it('adds /v1/responses to a bare origin and /responses to a URL with a path', () => {
    expect(upstream.url('https://api.openai.com', 'gpt-5', true)).toBe('https://api.openai.com/v1/responses')
    expect(upstream.url('https://api.openai.com/', 'gpt-5', true)).toBe('https://api.openai.com/v1/responses')
    expect(upstream.url('https://gateway.example.com/openai/v1/', 'gpt-5', false)).toBe('https://gateway.example.com/openai/v1/responses')
  })

  it('sends Bearer auth, JSON and the right accept header', () => {
    expect(upstream.headers('sk-test', true)).toEqual({ authorization: 'Bearer sk-test', 'content-type': 'application/json', accept: 'text/event-stream' })
    expect(upstream.headers(null, false)).toEqual({ 'content-type': 'application/json', accept: 'application/json' })
  })
})

describe('errors', () => {
  it('renders OpenAI-shaped error bodies', () => {
    expect(client.errorBody(relayErrors.invalidKey())).toEqual({ error: { message: 'Invalid API key.', type: 'authentication_error', param: null, code: 'invalid_api_key' } })
    expect(client.errorBody(relayErrors.noChannel('gpt-5'))).toEqual({
      error: { message: 'No enabled channel serves model "gpt-5".', type: 'server_error', param: null, code: 'no_available_channel' }
    })
  })

  it('reads the message out of upstream error bodies', () => {
    expect(upstream.errorMessage('{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}')).toBe('Incorrect API key provided')
    expect(upstream.errorMessage('{"message":"bad gateway"}')).toBe('bad gateway')
    expect(upstream.errorMessage('<html>\n502 Bad Gateway\n</html>')).toBe('<html> 502 Bad Gateway </html>')
  })

  it('ends a passed-through stream with a response.failed frame Codex understands', () => {
    const [frame] = frames(client.streamError(new RelayError(429, 'rate_limit', 'rate_limit_exceeded', 'Slow down. Please try again in 3s.')))
    expect(frame?.event).toBe('response.failed')
    expect(frame?.data).toMatchObject({
      type: 'response.failed',
      response: { object: 'response', status: 'failed', error: { code: 'rate_limit_exceeded', message: 'Slow down. Please try again in 3s.' } }
    })
  })
})

describe('pass-through', () => {
  it('changes only the model', () => {
    const body = { model: 'alias', input: 'hi', stream: true, store: false, previous_response_id: 'resp_1', tools: [{ type: 'web_search' }] }
    expect(passThrough.prepareBody(body, 'gpt-5', true)).toEqual({ ...body, model: 'gpt-5' })
  })

  it('reads usage from a body and from the terminal event of a stream, hiding nothing', () => {
    expect(passThrough.usageOfBody({ usage: { input_tokens: 10, input_tokens_details: { cached_tokens: 4 }, output_tokens: 3, total_tokens: 13 } })).toEqual({
      inputTotal: 10,
      cacheRead: 4,
      cacheWrite: 0,
      outputTotal: 3,
      reasoning: 0
    })
    expect(passThrough.usageOfBody('nope')).toBeNull()
    const tap = passThrough.usageTap(false)
    expect(tap.marker).toBe('"usage"')
    const tapped = sseEvents(fixtureText('upstream-reasoning-text-tools.sse')).filter(e => e.data.includes(tap.marker))
    expect(tapped.map(e => tap.read(e.data))).toEqual(tapped.map(() => false))
    expect(tap.usage()).toEqual({ inputTotal: 1523, cacheRead: 1280, cacheWrite: 0, outputTotal: 245, reasoning: 192 })
  })

  it('reads the usage of an incomplete stream too', () => {
    const tap = passThrough.usageTap(true)
    for (const e of sseEvents(fixtureText('upstream-incomplete.sse'))) if (e.data.includes(tap.marker)) tap.read(e.data)
    expect(tap.usage()).toEqual({ inputTotal: 50, cacheRead: 0, cacheWrite: 0, outputTotal: 16, reasoning: 12 })
  })
})
