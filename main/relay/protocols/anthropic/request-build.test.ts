import { describe, expect, it } from 'vitest'
import type { Message } from '../../canonical/request'
import { RelayError } from '../../relay-errors'
import { anthropicToolId } from './build-messages'
import { build, generation, loop, PNG, tool } from './build-support'

describe('anthropic request building', () => {
  it('builds the body with model, default max_tokens, stream and no empty fields', () => {
    expect(build()).toEqual({ model: 'claude-sonnet-4-5', max_tokens: 8192, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], stream: true })
  })

  it('never sends empty text blocks; empty system omitted, empty user turn filled (case 17)', () => {
    const body = build({
      system: [{ text: '  ', origin: 'system', cache: false }],
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'go' }] },
        { role: 'assistant', parts: [{ type: 'text', text: '' }, { type: 'tool_call', id: 'call_1', name: 'f', arguments: '{}', kind: 'function' }] },
        { role: 'user', parts: [{ type: 'tool_result', callId: 'call_1', content: [{ type: 'text', text: '' }], isError: false }] },
        { role: 'assistant', parts: [{ type: 'text', text: '\n' }] },
        { role: 'user', parts: [{ type: 'text', text: ' ' }] }
      ]
    })
    expect(body.system).toBeUndefined()
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'go' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'call_1', name: 'f', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1' }] }
    ])
    expect(build({ messages: [{ role: 'user', parts: [] }] }).messages).toEqual([{ role: 'user', content: [{ type: 'text', text: '(empty)' }] }])
  })

  it('puts three tool results, then the user text, in one user message (case 18)', () => {
    const calls = ['call_a', 'call_b', 'call_c']
    const body = build({
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'do three things' }] },
        { role: 'assistant', parts: calls.map(id => ({ type: 'tool_call' as const, id, name: 'f', arguments: `{"id":"${id}"}`, kind: 'function' as const })) },
        ...calls.map(
          (id): Message => ({
            role: 'user',
            parts: [{ type: 'tool_result', callId: id, content: [{ type: 'text', text: `out ${id}` }], isError: id === 'call_b' }]
          })
        ),
        { role: 'user', parts: [{ type: 'text', text: 'now summarise' }] }
      ]
    })
    expect(body.messages).toHaveLength(3)
    expect(body.messages[2]).toEqual({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'call_a', content: [{ type: 'text', text: 'out call_a' }] },
        { type: 'tool_result', tool_use_id: 'call_b', content: [{ type: 'text', text: 'out call_b' }], is_error: true },
        { type: 'tool_result', tool_use_id: 'call_c', content: [{ type: 'text', text: 'out call_c' }] },
        { type: 'text', text: 'now summarise' }
      ]
    })
  })

  it('moves tool results ahead of text, answers unanswered calls and turns orphan results into text', () => {
    const body = build({
      messages: [
        {
          role: 'assistant',
          parts: [
            { type: 'tool_call', id: 'a', name: 'f', arguments: 'not json', kind: 'function' },
            { type: 'tool_call', id: 'b', name: 'f', arguments: '[1]', kind: 'function' }
          ]
        },
        {
          role: 'user',
          parts: [
            { type: 'text', text: 'here you go' },
            { type: 'tool_result', callId: 'a', content: [{ type: 'image', source: { kind: 'url', url: `data:image/png;base64,${PNG}` } }], isError: false },
            { type: 'tool_result', callId: 'zzz', content: [{ type: 'text', text: 'stray' }], isError: false }
          ]
        }
      ]
    })
    expect(body.messages).toEqual([
      { role: 'assistant', content: [{ type: 'tool_use', id: 'a', name: 'f', input: {} }, { type: 'tool_use', id: 'b', name: 'f', input: {} }] },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'a', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } }] },
          { type: 'tool_result', tool_use_id: 'b', content: '(no result was recorded for this tool call)', is_error: true },
          { type: 'text', text: 'here you go' },
          { type: 'text', text: '[tool result zzz] stray' }
        ]
      }
    ])
  })

  it('sanitises tool ids with one deterministic function on both sides', () => {
    const rename = (p: Message['parts'][number]): Message['parts'][number] =>
      p.type === 'tool_call' ? { ...p, id: 'call.1:x' } : p.type === 'tool_result' ? { ...p, callId: 'call.1:x' } : p
    const body = build({ messages: loop([]).map(m => ({ ...m, parts: m.parts.map(rename) })) })
    const use = body.messages[1]?.content[0]
    const result = body.messages[2]?.content[0]
    const useId = use?.type === 'tool_use' ? use.id : ''
    expect(useId).toMatch(/^[a-zA-Z0-9_-]+$/)
    expect(result?.type === 'tool_result' ? result.tool_use_id : null).toBe(useId)
    expect(anthropicToolId('call.1:x')).toBe(useId)
    expect(anthropicToolId('toolu_01A-b')).toBe('toolu_01A-b')
    expect(anthropicToolId('a.b')).not.toBe(anthropicToolId('a_b'))
  })

  it('keeps temperature (clamped to 1) and drops top_p when both are set (case 19)', () => {
    const body = build({ generation: generation({ temperature: 1.5, topP: 0.9, topK: 20 }) })
    expect([body.temperature, body.top_p, body.top_k]).toEqual([1, undefined, 20])
    expect(build({ generation: generation({ topP: 0.9 }) }).top_p).toBe(0.9)
  })

  it('normalises image media types and keeps URLs as URLs (case 28)', () => {
    const body = build({
      messages: [
        {
          role: 'user',
          parts: [
            { type: 'image', source: { kind: 'url', url: `data:image/jpg;base64,${PNG}` } },
            { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.png' } },
            { type: 'image', source: { kind: 'base64', mediaType: 'IMAGE/WEBP', data: PNG } },
            { type: 'file', source: { kind: 'url', url: 'data:application/pdf;base64,JVBERi0=' }, filename: 'a.pdf' },
            { type: 'file', source: { kind: 'base64', mediaType: 'text/plain', data: Buffer.from('notes').toString('base64') } },
            { type: 'file', source: { kind: 'file_id', fileId: 'file-abc' } }
          ]
        }
      ]
    })
    expect(body.messages[0]?.content).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: PNG } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/webp', data: PNG } },
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' }, title: 'a.pdf' },
      { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'notes' } }
    ])
  })

  it('rejects image types Anthropic cannot read before dispatch', () => {
    const attempt = (): unknown => build({ messages: [{ role: 'user', parts: [{ type: 'image', source: { kind: 'url', url: 'data:image/bmp;base64,Qk0=' } }] }] })
    expect(attempt).toThrow(RelayError)
    expect(attempt).toThrow(/image\/bmp/)
  })

  it('maps tool choice, the allowed subset and parallel calls', () => {
    const tools = [tool('a'), tool('b'), tool('c')]
    const allowed = build({ tools, toolChoice: { type: 'allowed', names: ['b'], mode: 'auto' }, parallelToolCalls: false })
    expect(allowed.tools?.map(t => t.name)).toEqual(['b'])
    expect(allowed.tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true })
    expect(build({ tools, toolChoice: { type: 'none' } }).tool_choice).toEqual({ type: 'none' })
    const forced = build({ tools, toolChoice: { type: 'tool', name: 'c' }, parallelToolCalls: false })
    expect(forced.tool_choice).toEqual({ type: 'tool', name: 'c', disable_parallel_tool_use: true })
    expect(build({ tools, parallelToolCalls: false }).tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true })
    expect(build({ tools }).tool_choice).toBeUndefined()
    expect(build({ toolChoice: { type: 'auto' } }).tools).toBeUndefined()
  })

  it('gives every tool an object input_schema', () => {
    const body = build({
      tools: [
        { name: 'empty', description: 'no args', kind: 'function', parameters: {} },
        { name: 'untyped', kind: 'function', parameters: { properties: { x: { type: 'number' } } } }
      ]
    })
    expect(body.tools).toEqual([
      { name: 'empty', description: 'no args', input_schema: { type: 'object', properties: {} } },
      { name: 'untyped', input_schema: { type: 'object', properties: { x: { type: 'number' } } } }
    ])
  })

  it('maps response formats, user, stop sequences and mid-conversation system text', () => {
    const json = build({ system: [{ text: 'Be terse.', origin: 'system', cache: false }], responseFormat: { type: 'json_object' } })
    expect(json.system).toEqual([
      { type: 'text', text: 'Be terse.' },
      { type: 'text', text: 'Respond with a single JSON object and nothing else.' }
    ])
    const schema = { type: 'object', properties: { a: { type: 'string' } } }
    expect(build({ responseFormat: { type: 'json_schema', name: 'x', schema, strict: true } }).output_config).toEqual({ format: { type: 'json_schema', schema } })
    const body = build({
      user: 'user-42',
      generation: generation({ stop: ['END', ' '] }),
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'a' }] },
        { role: 'system', parts: [{ type: 'text', text: 'Switch to French.' }] },
        { role: 'user', parts: [{ type: 'text', text: 'b' }] }
      ]
    })
    expect([body.metadata, body.stop_sequences]).toEqual([{ user_id: 'user-42' }, ['END']])
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: '[system] Switch to French.' },
          { type: 'text', text: 'b' }
        ]
      }
    ])
  })

  it('keeps at most four cache breakpoints', () => {
    const body = build({
      system: [1, 2, 3].map(n => ({ text: `s${n}`, origin: 'system' as const, cache: true })),
      messages: [{ role: 'user', parts: [1, 2, 3].map(n => ({ type: 'text' as const, text: `u${n}`, cache: true })) }]
    })
    expect(JSON.stringify(body).match(/cache_control/g)).toHaveLength(4)
  })
})
