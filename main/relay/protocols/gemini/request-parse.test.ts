import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { RelayError } from '../../relay-errors'
import { parseGeminiRequest } from './request-parse'

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>
const route = { model: 'gemini-2.5-pro', stream: true }
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='

describe('parseGeminiRequest', () => {
  const parsed = parseGeminiRequest(fixture('request-camel.json'), route)

  it('takes model and stream from the route, system from systemInstruction', () => {
    expect(parsed.model).toBe('gemini-2.5-pro')
    expect(parsed.stream).toBe(true)
    expect(parsed.system).toEqual([
      { text: 'You are a helpful assistant.', origin: 'system', cache: false },
      { text: 'Answer briefly.', origin: 'system', cache: false }
    ])
    expect(parsed.streamUsage).toBe(true)
  })

  it('reads user text, inline image and file data', () => {
    expect(parsed.messages[0]).toEqual({
      role: 'user',
      parts: [
        { type: 'text', text: 'What is in this picture, and what is the weather in Paris and Berlin?' },
        { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: PNG } },
        { type: 'file', source: { kind: 'url', url: 'https://generativelanguage.googleapis.com/v1beta/files/abc123' } }
      ]
    })
  })

  it('joins streamed thought parts into one signed reasoning part and synthesizes call ids in order', () => {
    expect(parsed.messages[1]).toEqual({
      role: 'assistant',
      parts: [
        { type: 'reasoning', text: 'The user wants two weather lookups.', opaque: { protocol: 'gemini', value: 'c2lnLXRob3VnaHQ=' } },
        { type: 'text', text: 'A single white pixel. Checking the weather now.' },
        {
          type: 'tool_call',
          id: 'call_0',
          name: 'get_weather',
          arguments: '{"city":"Paris","units":"celsius"}',
          kind: 'function',
          opaque: { protocol: 'gemini', value: 'c2lnLWNhbGwtMQ==' }
        },
        { type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Berlin","units":"celsius"}', kind: 'function' }
      ]
    })
  })

  it('pairs id-less function responses with the earliest unanswered call of that name and unwraps {result}', () => {
    expect(parsed.messages[2]).toEqual({
      role: 'user',
      parts: [
        { type: 'tool_result', callId: 'call_0', name: 'get_weather', content: [{ type: 'text', text: '18°C, sunny' }], isError: false },
        { type: 'tool_result', callId: 'call_1', name: 'get_weather', content: [{ type: 'text', text: '{"temperature":12,"sky":"cloudy"}' }], isError: false }
      ]
    })
  })

  it('keeps explicit ids, treats the old function role as user and {error} as a failed call', () => {
    expect(parsed.messages[3]?.parts[1]).toEqual({
      type: 'tool_call',
      id: 'fc-explicit-7',
      name: 'read_file',
      arguments: '{"file_path":"/tmp/notes.txt"}',
      kind: 'function'
    })
    expect(parsed.messages[4]).toEqual({
      role: 'user',
      parts: [{ type: 'tool_result', callId: 'fc-explicit-7', name: 'read_file', content: [{ type: 'text', text: 'ENOENT: no such file' }], isError: true }]
    })
  })

  it('converts OpenAPI parameters to JSON Schema, keeps parametersJsonSchema and drops hosted tools', () => {
    expect(parsed.tools).toEqual([
      {
        name: 'get_weather',
        description: 'Current weather for a city.',
        kind: 'function',
        parameters: {
          type: 'object',
          properties: {
            city: { type: 'string', description: 'City name' },
            units: { type: ['string', 'null'], enum: ['celsius', 'fahrenheit'] },
            days: { type: 'integer', minimum: 1, maxItems: 3 }
          },
          required: ['city']
        }
      },
      {
        name: 'read_file',
        kind: 'function',
        parameters: { type: 'object', properties: { file_path: { type: 'string' } }, required: ['file_path'], additionalProperties: false }
      }
    ])
  })

  it('reads tool choice, generation, JSON schema output and thinking', () => {
    expect(parsed.toolChoice).toEqual({ type: 'tool', name: 'get_weather' })
    expect(parsed.generation).toEqual({
      maxOutputTokens: 2048,
      temperature: 0.7,
      topP: 0.95,
      topK: 40,
      stop: ['END'],
      seed: 42,
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
      n: 1
    })
    expect(parsed.responseFormat).toEqual({
      type: 'json_schema',
      name: 'response',
      schema: { type: 'object', properties: { summary: { type: 'string' } } },
      strict: false
    })
    expect(parsed.reasoning).toEqual({ budgetTokens: 4096, includeThoughts: true, effort: 'low' })
  })

  it('parses the snake_case spelling of the same body identically', () => {
    expect(parseGeminiRequest(fixture('request-snake.json'), route)).toEqual(parsed)
  })

  it('maps every function calling mode', () => {
    const choice = (config: Record<string, unknown>) =>
      parseGeminiRequest({ contents: [], tool_config: { function_calling_config: config } }, route).toolChoice
    expect(choice({ mode: 'AUTO' })).toEqual({ type: 'auto' })
    expect(choice({ mode: 'NONE' })).toEqual({ type: 'none' })
    expect(choice({ mode: 'ANY' })).toEqual({ type: 'required' })
    expect(choice({ mode: 'ANY', allowed_function_names: ['a', 'b'] })).toEqual({ type: 'allowed', names: ['a', 'b'], mode: 'required' })
    expect(choice({ mode: 'VALIDATED', allowedFunctionNames: ['a'] })).toEqual({ type: 'allowed', names: ['a'], mode: 'auto' })
    expect(choice({})).toBeNull()
  })

  it('reads responseSchema and bare JSON mode, and thinking levels', () => {
    const parse = (generationConfig: Record<string, unknown>) => parseGeminiRequest({ contents: [], generationConfig }, route)
    expect(parse({ responseMimeType: 'application/json' }).responseFormat).toEqual({ type: 'json_object' })
    expect(parse({ response_mime_type: 'application/json', response_schema: { type: 'ARRAY', items: { type: 'STRING' } } }).responseFormat).toEqual({
      type: 'json_schema',
      name: 'response',
      schema: { type: 'array', items: { type: 'string' } },
      strict: false
    })
    expect(parse({ responseMimeType: 'text/x.enum' }).responseFormat).toEqual({ type: 'text' })
    expect(parse({ thinkingConfig: { thinkingLevel: 'HIGH' } }).reasoning).toEqual({ effort: 'high' })
    expect(parse({ thinkingConfig: { thinkingBudget: 0 } }).reasoning).toEqual({ budgetTokens: 0 })
    expect(parse({ thinkingConfig: {} }).reasoning).toBeNull()
  })

  it('keeps a signature that rides on a text part as a reasoning part before the text', () => {
    const body = {
      contents: [{ role: 'model', parts: [{ text: 'Hi', thoughtSignature: 'sig-on-text' }, { text: '', thought_signature: 'cuttle1.anthropic.EqQB' }] }]
    }
    expect(parseGeminiRequest(body, route).messages[0]?.parts).toEqual([
      { type: 'reasoning', text: '', opaque: { protocol: 'gemini', value: 'sig-on-text' } },
      { type: 'text', text: 'Hi' },
      { type: 'reasoning', text: '', opaque: { protocol: 'anthropic', value: 'EqQB' } }
    ])
  })

  it('rejects a body without a contents array', () => {
    expect(() => parseGeminiRequest({ prompt: 'hi' }, route)).toThrow(RelayError)
    expect(() => parseGeminiRequest({ contents: ['x'] }, route)).toThrow(/contents\[0\]/)
  })
})
