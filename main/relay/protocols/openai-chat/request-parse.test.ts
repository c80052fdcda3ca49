import { describe, expect, it } from 'vitest'
import { RelayError } from '../../relay-errors'
import { fixtureJson } from './fixtures/fixtures'
import { parseChatRequest } from './request-parse'

const ROUTE = { model: 'route-model', stream: false }
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='

describe('parseChatRequest: the agent fixture', () => {
  const request = parseChatRequest(fixtureJson('request-agent.json'), ROUTE)

  it('turns leading system and developer messages into segments, keeping their origin', () => {
    expect(request.system).toEqual([
      { text: 'You are a coding agent.', origin: 'system', cache: false },
      { text: 'Answer tersely.', origin: 'developer', cache: false }
    ])
  })

  it('reads user parts: text, data-URL and http images, files; drops audio', () => {
    expect(request.messages[0]).toEqual({
      role: 'user',
      parts: [
        { type: 'text', text: 'What is in this image and this file?' },
        { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: PNG }, detail: 'low' },
        { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.jpg' } },
        { type: 'file', source: { kind: 'base64', mediaType: 'application/pdf', data: expect.any(String) as string }, filename: 'spec.pdf' },
        { type: 'file', source: { kind: 'file_id', fileId: 'file-abc123' } }
      ]
    })
  })

  it('§4 case 10: reasoning_content is an unsigned reasoning part; artefacts are split off tool call ids', () => {
    expect(request.messages[1]).toEqual({
      role: 'assistant',
      parts: [
        { type: 'reasoning', text: 'The user wants weather for three cities.' },
        { type: 'tool_call', id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}', kind: 'function' },
        {
          type: 'tool_call',
          id: 'call_b',
          name: 'get_weather',
          arguments: '{"city":"Rome"}',
          kind: 'function',
          opaque: { protocol: 'gemini', value: 'c2lnLWFiYw==' }
        },
        { type: 'tool_call', id: 'call_c', name: 'apply_patch', arguments: '*** Begin Patch\n*** End Patch', kind: 'custom' }
      ]
    })
    const reasoning = request.messages[1]?.parts[0]
    expect(reasoning !== undefined && 'opaque' in reasoning).toBe(false)
  })

  it('§4 case 18: three tool messages and the user text after them are ONE user message, results first, in order', () => {
    expect(request.messages[2]).toEqual({
      role: 'user',
      parts: [
        { type: 'tool_result', callId: 'call_a', content: [{ type: 'text', text: '18C sunny' }], isError: false },
        {
          type: 'tool_result',
          callId: 'call_b',
          content: [
            { type: 'text', text: '21C' },
            { type: 'text', text: 'clear' }
          ],
          isError: false
        },
        { type: 'tool_result', callId: 'call_c', content: [{ type: 'text', text: 'Done' }], isError: false },
        { type: 'text', text: 'Thanks. Which is warmest?' }
      ]
    })
  })

  it('keeps a later system message in place and reads assistant refusals', () => {
    expect(request.messages.slice(3)).toEqual([
      { role: 'system', parts: [{ type: 'text', text: 'Keep answers under 20 words.' }] },
      { role: 'assistant', parts: [{ type: 'refusal', text: 'I cannot help with that.' }] }
    ])
    expect(request.messages).toHaveLength(5)
  })

  it('reads tools (function and custom, grammar flattened) and allowed_tools', () => {
    expect(request.tools).toEqual([
      {
        name: 'get_weather',
        description: 'Weather for a city',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        kind: 'function',
        strict: true
      },
      {
        name: 'apply_patch',
        description: 'Apply a patch',
        parameters: {},
        kind: 'custom',
        customFormat: { type: 'grammar', syntax: 'lark', definition: 'start: /.+/' }
      }
    ])
    expect(request.toolChoice).toEqual({ type: 'allowed', names: ['get_weather', 'apply_patch'], mode: 'required' })
    expect(request.parallelToolCalls).toBe(true)
  })

  it('reads generation, format, reasoning, identity and stream options', () => {
    expect(request.model).toBe('gpt-4o')
    expect(request.stream).toBe(true)
    expect(request.streamUsage).toBe(true)
    expect(request.generation).toEqual({
      maxOutputTokens: 2048,
      temperature: 0.3,
      topP: 0.9,
      topK: null,
      stop: ['END', 'STOP'],
      seed: 42,
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
      n: 1
    })
    expect(request.responseFormat).toEqual({
      type: 'json_schema',
      name: 'answer',
      description: 'The answer',
      schema: { type: 'object', properties: { city: { type: 'string' } } },
      strict: true
    })
    expect(request.reasoning).toEqual({ effort: 'high', includeThoughts: true })
    expect(request.user).toBe('user-123')
    expect(request.promptCacheKey).toBe('session-9')
  })
})

describe('parseChatRequest: other shapes', () => {
  const parse = (body: Record<string, unknown>) => parseChatRequest({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...body }, ROUTE)

  it('rejects a body whose messages is not an array, and messages OpenAI would reject', () => {
    expect(() => parseChatRequest({ model: 'm', messages: 'hi' }, ROUTE)).toThrow(RelayError)
    expect(() => parseChatRequest({ model: 'm', messages: 'hi' }, ROUTE)).toThrow('messages must be an array')
    expect(() => parse({ messages: [42] })).toThrow('messages[0] must be an object')
    expect(() => parse({ messages: [{ role: 'robot', content: 'x' }] })).toThrow('messages[0].role')
    expect(() => parse({ messages: [{ role: 'tool', content: 'x' }] })).toThrow('messages[0].tool_call_id')
  })

  it('falls back to max_tokens, a string stop, json_object, the legacy user field and the route', () => {
    const r = parseChatRequest({ messages: [], max_tokens: 300, stop: 'END', response_format: { type: 'json_object' }, user: 'u1' }, ROUTE)
    expect(r.model).toBe('route-model')
    expect(r.stream).toBe(false)
    expect(r.generation.maxOutputTokens).toBe(300)
    expect(r.generation.stop).toEqual(['END'])
    expect(r.responseFormat).toEqual({ type: 'json_object' })
    expect(r.user).toBe('u1')
    expect(r.streamUsage).toBe(false)
    expect(r.reasoning).toBeNull()
    expect(r.toolChoice).toBeNull()
  })

  it('include_usage without streaming is not streamUsage', () => {
    expect(parse({ stream: false, stream_options: { include_usage: true } }).streamUsage).toBe(false)
  })

  it('reads every tool_choice form', () => {
    expect(parse({ tool_choice: 'none' }).toolChoice).toEqual({ type: 'none' })
    expect(parse({ tool_choice: 'required' }).toolChoice).toEqual({ type: 'required' })
    expect(parse({ tool_choice: { type: 'function', function: { name: 'f' } } }).toolChoice).toEqual({ type: 'tool', name: 'f' })
    expect(parse({ tool_choice: { type: 'custom', custom: { name: 'c' } } }).toolChoice).toEqual({ type: 'tool', name: 'c' })
    expect(parse({ function_call: { name: 'legacy' } }).toolChoice).toEqual({ type: 'tool', name: 'legacy' })
    expect(parse({ tool_choice: { type: 'allowed_tools', allowed_tools: { tools: [{ type: 'function', function: { name: 'a' } }] } } }).toolChoice).toEqual({
      type: 'allowed',
      names: ['a'],
      mode: 'auto'
    })
  })

  it('reads the OpenRouter `reasoning` string as unsigned reasoning too', () => {
    const r = parse({ messages: [{ role: 'assistant', reasoning: 'hmm', content: 'ok' }] })
    expect(r.messages[0]?.parts).toEqual([
      { type: 'reasoning', text: 'hmm' },
      { type: 'text', text: 'ok' }
    ])
  })

  it('pairs legacy function_call / function messages with a made-up id', () => {
    const r = parse({
      messages: [
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: null, function_call: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
        { role: 'function', name: 'get_weather', content: '3C' }
      ],
      functions: [{ name: 'get_weather', parameters: { type: 'object', properties: {} } }]
    })
    expect(r.messages[1]?.parts).toEqual([{ type: 'tool_call', id: 'call_legacy_0', name: 'get_weather', arguments: '{"city":"Oslo"}', kind: 'function' }])
    expect(r.messages[2]?.parts).toEqual([{ type: 'tool_result', callId: 'call_legacy_0', name: 'get_weather', content: [{ type: 'text', text: '3C' }], isError: false }])
    expect(r.tools.map(t => t.name)).toEqual(['get_weather'])
  })

  it('ignores junk inside content and tools instead of crashing', () => {
    const r = parse({
      messages: [
        { role: 'user', content: [null, 7, { type: 'image_url' }, { type: 'text', text: 'kept' }, { type: 'mystery' }] },
        { role: 'assistant', content: [{ type: 'text' }], tool_calls: [null, { id: 'x' }, { function: { name: 'no_id' } }] }
      ],
      tools: [null, { type: 'function' }, 'x'],
      response_format: { type: 'json_schema' },
      reasoning_effort: 'turbo'
    })
    expect(r.messages).toEqual([{ role: 'user', parts: [{ type: 'text', text: 'kept' }] }])
    expect(r.tools).toEqual([])
    expect(r.responseFormat).toEqual({ type: 'text' })
    expect(r.reasoning).toBeNull()
  })

  it('a second run of tool results after user text starts a new user message', () => {
    const r = parse({
      messages: [
        { role: 'tool', tool_call_id: 'a', content: '1' },
        { role: 'user', content: 'and?' },
        { role: 'user', content: 'more' }
      ]
    })
    expect(r.messages.map(m => m.parts.map(p => p.type))).toEqual([['tool_result', 'text'], ['text']])
  })
})
