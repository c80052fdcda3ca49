import { describe, expect, it } from 'vitest'
import { relayErrors } from '../../relay-errors'
import { openAiChatAdapter } from './index'

const { passThrough, upstream, client } = openAiChatAdapter

describe('chat pass-through', () => {
  it('prepareBody sets the model and asks for stream usage, keeping other stream_options', () => {
    const body = { model: 'alias', messages: [], stream: true, stream_options: { include_obfuscation: false }, temperature: 0.2 }
    expect(passThrough.prepareBody(body, 'gpt-4o-2024-08-06', true)).toEqual({
      model: 'gpt-4o-2024-08-06',
      messages: [],
      stream: true,
      stream_options: { include_obfuscation: false, include_usage: true },
      temperature: 0.2
    })
    expect(passThrough.prepareBody({ model: 'a', messages: [] }, 'b', false)).toEqual({ model: 'b', messages: [] })
    expect(body.model).toBe('alias')
  })

  it('usageOfBody reads the answer usage', () => {
    expect(passThrough.usageOfBody({ usage: { prompt_tokens: 9, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 4 } } })).toEqual({
      inputTotal: 9,
      cacheRead: 4,
      cacheWrite: 0,
      outputTotal: 3,
      reasoning: 0
    })
    expect(passThrough.usageOfBody('x')).toBeNull()
  })

  it('usageTap: marker "usage"; hides the usage-only chunk only from clients that did not ask', () => {
    const usageChunk = JSON.stringify({ id: 'c', choices: [], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } })
    const nullUsage = JSON.stringify({ id: 'c', choices: [{ index: 0, delta: { content: 'x' } }], usage: null })
    const hiding = passThrough.usageTap(false)
    expect(hiding.marker).toBe('"usage"')
    expect(hiding.read(nullUsage)).toBe(false)
    expect(hiding.usage()).toBeNull()
    expect(hiding.read(usageChunk)).toBe(true)
    expect(hiding.usage()).toEqual({ inputTotal: 5, cacheRead: 0, cacheWrite: 0, outputTotal: 2, reasoning: 0 })
    const showing = passThrough.usageTap(true)
    expect(showing.read(usageChunk)).toBe(false)
    expect(showing.usage()?.outputTotal).toBe(2)
    expect(showing.read('not json "usage"')).toBe(false)
  })
})

describe('chat endpoint and errors', () => {
  it('url: bare origin → /v1/chat/completions, a base with a path → path + /chat/completions', () => {
    expect(upstream.url('https://api.openai.com', 'm', true)).toBe('https://api.openai.com/v1/chat/completions')
    expect(upstream.url('https://api.deepseek.com/v1/', 'm', false)).toBe('https://api.deepseek.com/v1/chat/completions')
    expect(upstream.url('http://127.0.0.1:8000/api/openai/v1', 'm', false)).toBe('http://127.0.0.1:8000/api/openai/v1/chat/completions')
  })

  it('headers: Bearer key, JSON, SSE accept when streaming', () => {
    expect(upstream.headers('sk-1', true)).toEqual({ authorization: 'Bearer sk-1', 'content-type': 'application/json', accept: 'text/event-stream' })
    expect(upstream.headers(null, false)).toEqual({ 'content-type': 'application/json', accept: 'application/json' })
  })

  it('errorMessage reads {error:{message}}, {error:"…"}, {message} and plain text', () => {
    expect(upstream.errorMessage('{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}')).toBe(
      'Incorrect API key provided'
    )
    expect(upstream.errorMessage('{"error":"model overloaded"}')).toBe('model overloaded')
    expect(upstream.errorMessage('{"message":"Bad gateway","status":502}')).toBe('Bad gateway')
    expect(upstream.errorMessage('  <html>502 Bad Gateway</html>\n')).toBe('<html>502 Bad Gateway</html>')
  })

  it('errorBody and streamError use the OpenAI error shape', () => {
    const error = relayErrors.modelNotFound('gpt-9')
    expect(client.errorBody(error)).toEqual({ error: { message: 'The model "gpt-9" does not exist on this relay.', type: 'invalid_request_error', param: null, code: 'model_not_found' } })
    expect(client.streamError(error)).toBe(`data: ${JSON.stringify(client.errorBody(error))}\n\n`)
    expect(openAiChatAdapter.protocol).toBe('openai-chat')
  })
})
