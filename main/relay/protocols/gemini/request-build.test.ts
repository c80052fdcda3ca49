import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { attachToId, openOpaque, sealOpaque, splitId } from '../../canonical/opaque'
import { emptyRequest, type CanonicalRequest, type Message, type ToolCallPart } from '../../canonical/request'
import { parseSseBlock } from '../../sse'
import { SKIP_SIGNATURE } from './build-contents'
import { buildGeminiRequest } from './request-build'
import { GeminiStreamDecoder } from './stream-decoder'

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='

function request(messages: Message[], patch: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return { ...emptyRequest('client-model', true), messages, ...patch }
}
const call = (id: string, name: string, args: string, extra: Partial<ToolCallPart> = {}): ToolCallPart => ({
  type: 'tool_call',
  id,
  name,
  arguments: args,
  kind: 'function',
  ...extra
})
const result = (callId: string, text: string, extra: { name?: string; isError?: boolean } = {}) => ({
  type: 'tool_result' as const,
  callId,
  content: [{ type: 'text' as const, text }],
  isError: extra.isError ?? false,
  ...(extra.name !== undefined ? { name: extra.name } : {})
})

describe('buildGeminiRequest: contents', () => {
  it('puts leading system text in systemInstruction and a mid-conversation one into the adjacent user content', () => {
    const body = buildGeminiRequest(
      request(
        [
          { role: 'user', parts: [{ type: 'text', text: 'Hi' }] },
          { role: 'assistant', parts: [{ type: 'text', text: 'Hello' }] },
          { role: 'system', parts: [{ type: 'text', text: 'Be terse.' }] },
          { role: 'user', parts: [{ type: 'text', text: 'Why?' }] },
          { role: 'user', parts: [{ type: 'text', text: '' }, { type: 'image', source: { kind: 'url', url: `data:image/jpg;base64,${PNG}` } }] }
        ],
        { system: [{ text: 'You are Cuttle.', origin: 'system', cache: false }, { text: 'Reply in English.', origin: 'developer', cache: false }] }
      ),
      'gemini-2.5-flash'
    )
    expect(body).toEqual({
      systemInstruction: { parts: [{ text: 'You are Cuttle.\n\nReply in English.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Hi' }] },
        { role: 'model', parts: [{ text: 'Hello' }] },
        { role: 'user', parts: [{ text: '[system] Be terse.' }, { text: 'Why?' }, { inlineData: { mimeType: 'image/jpeg', data: PNG } }] }
      ]
    })
  })

  it('answers parallel calls in ONE user content, results first, names looked up from the calls (§4 case 15 shapes)', () => {
    const body = buildGeminiRequest(
      request([
        { role: 'user', parts: [{ type: 'text', text: 'Run four tools' }] },
        {
          role: 'assistant',
          parts: [call('c1', 'a', '{"x":1}'), call('c2', 'b', '{}'), call('c3', 'c', 'not json'), call('c4', 'd', '[1]')]
        },
        {
          role: 'user',
          parts: [
            { type: 'text', text: 'and then summarise' },
            result('c1', 'ok'),
            result('c2', '[1,2]'),
            result('c3', '{"a":1}', { name: 'c' }),
            { type: 'tool_result', callId: 'c4', content: [{ type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: PNG } }], isError: false }
          ]
        }
      ]),
      'gemini-2.5-flash'
    )
    const contents = body.contents as Array<{ role: string; parts: unknown[] }>
    expect(contents[1]?.parts).toEqual([
      { functionCall: { id: 'c1', name: 'a', args: { x: 1 } }, thoughtSignature: SKIP_SIGNATURE },
      { functionCall: { id: 'c2', name: 'b', args: {} }, thoughtSignature: SKIP_SIGNATURE },
      { functionCall: { id: 'c3', name: 'c', args: {} }, thoughtSignature: SKIP_SIGNATURE },
      { functionCall: { id: 'c4', name: 'd', args: {} }, thoughtSignature: SKIP_SIGNATURE }
    ])
    expect(contents[2]).toEqual({
      role: 'user',
      parts: [
        { functionResponse: { id: 'c1', name: 'a', response: { result: 'ok' } } },
        { functionResponse: { id: 'c2', name: 'b', response: { result: [1, 2] } } },
        { functionResponse: { id: 'c3', name: 'c', response: { a: 1 } } },
        { functionResponse: { id: 'c4', name: 'd', response: { result: '' } } },
        { inlineData: { mimeType: 'image/png', data: PNG } },
        { text: 'and then summarise' }
      ]
    })
  })

  it('wraps every non-object tool output as an object (§4 case 15) and failures as {error}', () => {
    const responseFor = (text: string, isError = false): unknown => {
      const body = buildGeminiRequest(request([{ role: 'assistant', parts: [call('t', 'f', '{}')] }, { role: 'user', parts: [result('t', text, { isError })] }]), 'm')
      return (body.contents as Array<{ parts: Array<{ functionResponse?: { response: unknown } }> }>)[1]?.parts[0]?.functionResponse?.response
    }
    expect(responseFor('ok')).toEqual({ result: 'ok' })
    expect(responseFor('[1,2]')).toEqual({ result: [1, 2] })
    expect(responseFor('{"a":1}')).toEqual({ a: 1 })
    expect(responseFor('')).toEqual({ result: '' })
    expect(responseFor('42')).toEqual({ result: 42 })
    expect(responseFor('command not found', true)).toEqual({ error: 'command not found' })
  })

  it('answers every call of the previous turn exactly once, in call order (§7 invariant 4)', () => {
    const body = buildGeminiRequest(
      request([
        { role: 'assistant', parts: [call('c1', 'a', '{}'), call('c2', 'b', '{}')] },
        { role: 'user', parts: [result('c2', 'two'), result('zz', 'stray', { name: 'x' }), { type: 'text', text: 'go on' }] }
      ]),
      'm'
    )
    expect((body.contents as unknown[])[1]).toEqual({
      role: 'user',
      parts: [
        { functionResponse: { id: 'c1', name: 'a', response: { error: 'No result was returned for this function call.' } } },
        { functionResponse: { id: 'c2', name: 'b', response: { result: 'two' } } },
        { text: 'Result of x: {"result":"stray"}' },
        { text: 'go on' }
      ]
    })
  })

  it('sends http images as fileData and keeps only Gemini-minted reasoning', () => {
    const body = buildGeminiRequest(
      request([
        { role: 'user', parts: [{ type: 'image', source: { kind: 'url', url: 'https://example.com/cat.webp?size=2' } }, { type: 'file', source: { kind: 'url', url: 'https://example.com/spec' } }] },
        {
          role: 'assistant',
          parts: [
            { type: 'reasoning', text: 'Claude thoughts', opaque: { protocol: 'anthropic', value: 'EqQB' } },
            { type: 'reasoning', text: 'unsigned thoughts' },
            { type: 'reasoning', text: 'Gemini thoughts', opaque: { protocol: 'gemini', value: 'g-sig' } },
            { type: 'text', text: 'Done.' }
          ]
        }
      ]),
      'm'
    )
    expect(body.contents).toEqual([
      {
        role: 'user',
        parts: [{ fileData: { mimeType: 'image/webp', fileUri: 'https://example.com/cat.webp?size=2' } }, { fileData: { mimeType: 'application/pdf', fileUri: 'https://example.com/spec' } }]
      },
      { role: 'model', parts: [{ text: 'Gemini thoughts', thought: true, thoughtSignature: 'g-sig' }, { text: 'Done.' }] }
    ])
  })
})

describe('thoughtSignature round trip (§4 case 11)', () => {
  const sse = readFileSync(new URL('./fixtures/stream-parallel-calls.sse', import.meta.url), 'utf8')
  const decoder = new GeminiStreamDecoder()
  const events = sse.split('\n\n').flatMap(block => {
    const event = parseSseBlock(block)
    return event === null ? [] : decoder.push(event)
  })
  const starts = events.flatMap(e => (e.type === 'tool_call_start' ? [e] : []))

  it('carries the identical signature back to Gemini through a Chat client (signature in the call id)', () => {
    const first = starts[0]
    if (first?.opaque === undefined) throw new Error('no signature decoded')
    const chatId = attachToId(first.id, first.opaque)
    const back = splitId(chatId)
    const body = buildGeminiRequest(
      request([
        { role: 'user', parts: [{ type: 'text', text: 'weather?' }] },
        { role: 'assistant', parts: [call(back.id, 'get_weather', '{"city":"Paris"}', back.opaque ? { opaque: back.opaque } : {}), call('call_1', 'get_weather', '{"city":"Berlin"}')] },
        { role: 'user', parts: [result(back.id, '18C'), result('call_1', '12C')] }
      ]),
      'gemini-3-pro-preview'
    )
    const model = (body.contents as Array<{ parts: Array<Record<string, unknown>> }>)[1]
    expect(model?.parts[0]).toEqual({ functionCall: { id: first.id, name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'CiwBVKhc7sig-call-one==' })
    expect(model?.parts[1]?.thoughtSignature).toBe(SKIP_SIGNATURE)
  })

  it('carries it back through a Responses client (sealed envelope) and drops a foreign one for the sentinel', () => {
    const first = starts[0]
    if (first?.opaque === undefined) throw new Error('no signature decoded')
    const envelope = sealOpaque(first.opaque, 'openai-responses')
    const body = buildGeminiRequest(
      request([
        { role: 'user', parts: [{ type: 'text', text: 'go' }] },
        {
          role: 'assistant',
          parts: [call('call_0', 'f', '{}', { opaque: openOpaque(envelope, 'openai-responses') }), call('toolu_1', 'g', '{}', { opaque: { protocol: 'anthropic', value: 'x' } })]
        }
      ]),
      'gemini-3-pro-preview'
    )
    const parts = (body.contents as Array<{ parts: Array<Record<string, unknown>> }>)[1]?.parts
    expect(parts?.map(p => p.thoughtSignature)).toEqual(['CiwBVKhc7sig-call-one==', SKIP_SIGNATURE])
  })
})

describe('buildGeminiRequest: tools and config', () => {
  const tools = [
    { name: 'a', description: 'A', kind: 'function' as const, parameters: { type: 'object', properties: { q: { type: 'string', title: 'Q' } }, additionalProperties: false } },
    { name: 'b', kind: 'function' as const, parameters: {} }
  ]
  const build = (patch: Partial<CanonicalRequest>, model = 'gemini-2.5-flash') => buildGeminiRequest(request([], patch), model)

  it('sends one functionDeclarations tool with sanitised parameters and maps tool choice', () => {
    expect(build({ tools, toolChoice: { type: 'tool', name: 'a' } })).toEqual({
      contents: [],
      tools: [
        {
          functionDeclarations: [
            { name: 'a', description: 'A', parameters: { type: 'object', properties: { q: { type: 'string' } } } },
            { name: 'b', parameters: { type: 'object', properties: {} } }
          ]
        }
      ],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['a'] } }
    })
    expect(build({ tools, toolChoice: { type: 'required' } }).toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY' } })
    expect(build({ tools, toolChoice: { type: 'none' } }).toolConfig).toEqual({ functionCallingConfig: { mode: 'NONE' } })
    expect(build({ tools, toolChoice: { type: 'allowed', names: ['a', 'b'], mode: 'required' } }).toolConfig).toEqual({
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['a', 'b'] }
    })
    const subset = build({ tools, toolChoice: { type: 'allowed', names: ['b'], mode: 'auto' } })
    expect(subset.tools).toEqual([{ functionDeclarations: [{ name: 'b', parameters: { type: 'object', properties: {} } }] }])
    expect(subset.toolConfig).toEqual({ functionCallingConfig: { mode: 'AUTO' } })
    expect(build({ toolChoice: { type: 'auto' } })).toEqual({ contents: [] })
  })

  it('maps generation, at most five stop sequences and JSON output', () => {
    const generation = { maxOutputTokens: 100, temperature: 3, topP: 0.9, topK: 20, stop: ['1', '2', '3', '4', '5', '6'], seed: 7, presencePenalty: 0.5, frequencyPenalty: null, n: 2 }
    expect(build({ generation, responseFormat: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true } }).generationConfig).toEqual({
      maxOutputTokens: 100,
      temperature: 2,
      topP: 0.9,
      topK: 20,
      seed: 7,
      presencePenalty: 0.5,
      candidateCount: 2,
      stopSequences: ['1', '2', '3', '4', '5'],
      responseMimeType: 'application/json',
      responseJsonSchema: { type: 'object' }
    })
    expect(build({ responseFormat: { type: 'json_object' } }).generationConfig).toEqual({ responseMimeType: 'application/json' })
  })

  it('maps reasoning effort and budgets onto thinkingConfig within the model’s range', () => {
    const thinking = (reasoning: CanonicalRequest['reasoning'], model?: string) => (build({ reasoning }, model).generationConfig as { thinkingConfig?: unknown } | undefined)?.thinkingConfig
    expect(thinking({ effort: 'none' })).toEqual({ thinkingBudget: 0 })
    expect(thinking({ effort: 'minimal' })).toEqual({ thinkingBudget: 512, includeThoughts: true })
    expect(thinking({ effort: 'low' })).toEqual({ thinkingBudget: 1024, includeThoughts: true })
    expect(thinking({ effort: 'medium', includeThoughts: false })).toEqual({ thinkingBudget: 8192 })
    expect(thinking({ effort: 'high' })).toEqual({ thinkingBudget: 24576, includeThoughts: true })
    expect(thinking({ effort: 'max' }, 'gemini-2.5-pro')).toEqual({ thinkingBudget: 32768, includeThoughts: true })
    expect(thinking({ effort: 'xhigh' }, 'gemini-2.5-flash')).toEqual({ thinkingBudget: 24576, includeThoughts: true })
    expect(thinking({ budgetTokens: 5000, effort: 'high' })).toEqual({ thinkingBudget: 5000, includeThoughts: true })
    expect(thinking({ effort: 'none' }, 'gemini-2.5-pro')).toEqual({ thinkingBudget: 128 })
    expect(thinking({ adaptive: true })).toEqual({ thinkingBudget: -1, includeThoughts: true })
    expect(thinking({ summary: 'auto' })).toEqual({ includeThoughts: true })
    expect(thinking(null)).toBeUndefined()
  })
})
