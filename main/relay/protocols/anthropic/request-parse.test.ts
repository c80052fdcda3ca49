import { describe, expect, it } from 'vitest'
import { attachToId } from '../../canonical/opaque'
import { RelayError } from '../../relay-errors'
import { anthropicPassThrough } from './pass-through'
import { parseAnthropicRequest } from './request-parse'
import { fixtureJson } from './test-support'

const route = { model: 'route-model', stream: false }
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='
const parse = (body: Record<string, unknown>): ReturnType<typeof parseAnthropicRequest> =>
  parseAnthropicRequest({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }], ...body }, route)

describe('anthropic request parsing', () => {
  it('reads a Claude Code turn into the canonical request', () => {
    const request = parseAnthropicRequest(fixtureJson('claude-code-request.json'), route)
    expect(request.model).toBe('claude-sonnet-4-5')
    expect(request.stream).toBe(true)
    expect(request.system).toEqual([
      { text: "You are Claude Code, Anthropic's official CLI for Claude.", origin: 'system', cache: true },
      { text: 'Working directory: /tmp/project', origin: 'system', cache: false }
    ])
    expect(request.messages).toEqual([
      { role: 'user', parts: [{ type: 'text', text: 'List the files and show me the logo.' }] },
      {
        role: 'assistant',
        parts: [
          {
            type: 'reasoning',
            text: 'I should list the directory and read the logo.',
            opaque: { protocol: 'anthropic', value: 'EqQBCkYIBxgCKkBnative-anthropic-signature==' }
          },
          { type: 'text', text: 'Let me look.' },
          { type: 'tool_call', id: 'toolu_01A', name: 'Bash', arguments: '{"command":"ls -la"}', kind: 'function' },
          { type: 'tool_call', id: 'toolu_01B', name: 'Read', arguments: '{"file_path":"/tmp/project/logo.png"}', kind: 'function' }
        ]
      },
      {
        role: 'user',
        parts: [
          { type: 'tool_result', callId: 'toolu_01A', content: [{ type: 'text', text: 'README.md\nlogo.png' }], isError: false },
          {
            type: 'tool_result',
            callId: 'toolu_01B',
            content: [
              { type: 'text', text: 'Image read.' },
              { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: PNG } }
            ],
            isError: false
          },
          { type: 'text', text: 'What colour is it?', cache: true }
        ]
      }
    ])
    expect(request.tools.map(t => t.name)).toEqual(['Bash', 'Read'])
    expect(request.tools[0]?.parameters).toMatchObject({ $schema: 'http://json-schema.org/draft-07/schema#', additionalProperties: false })
    expect(request.toolChoice).toEqual({ type: 'auto' })
    expect(request.parallelToolCalls).toBeNull()
    expect(request.generation).toMatchObject({ maxOutputTokens: 32000, temperature: 1, topP: null, topK: null, stop: [] })
    expect(request.reasoning).toEqual({ budgetTokens: 10000, includeThoughts: true, effort: 'high' })
    expect(request.user).toBe('user_4f2a_account_9b1c_session_77d0')
    expect(request.responseFormat).toEqual({ type: 'text' })
    expect(request.streamUsage).toBe(true)
  })

  it('drops the attribution block so two Claude Code requests share one system prefix, but pass-through keeps it (case 29)', () => {
    const first = fixtureJson('claude-code-request.json')
    const second = structuredClone(first)
    const blocks = second.system as Array<{ text: string }>
    if (blocks[0]) blocks[0].text = 'x-anthropic-billing-header: cc_version=2.1.140.a1b; cc_entrypoint=cli; cch=91ac0;'
    expect(parseAnthropicRequest(second, route).system).toEqual(parseAnthropicRequest(first, route).system)
    const forwarded = anthropicPassThrough.prepareBody(second, 'claude-sonnet-4-5-20250929', true)
    expect(forwarded.system).toEqual(second.system)
    expect(forwarded.model).toBe('claude-sonnet-4-5-20250929')
  })

  it('rejects what the Messages API rejects, naming the field', () => {
    const bad = (body: Record<string, unknown>): RelayError | null => {
      try {
        parseAnthropicRequest(body, route)
        return null
      } catch (e) {
        return e instanceof RelayError ? e : null
      }
    }
    expect(bad({ model: 'm', messages: [] })).toMatchObject({ status: 400, kind: 'invalid_request', message: expect.stringContaining('max_tokens') })
    expect(bad({ model: 'm', max_tokens: 10 })?.message).toContain('messages')
    expect(bad({ model: 'm', max_tokens: 10, messages: [{ role: 'tool', content: 'x' }] })?.message).toContain('messages[0].role')
    expect(bad({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 5 }] })?.message).toContain('messages[0].content')
    expect(bad({ model: 'm', max_tokens: 10, messages: [], system: 5 })?.message).toContain('system')
  })

  it('treats an absent `stream` as a JSON request (case 31) and falls back to the route model', () => {
    const request = parseAnthropicRequest({ max_tokens: 1, messages: [] }, route)
    expect(request.stream).toBe(false)
    expect(request.model).toBe('route-model')
  })

  it('maps tool_choice and disable_parallel_tool_use', () => {
    expect(parse({ tool_choice: { type: 'any', disable_parallel_tool_use: true } })).toMatchObject({ toolChoice: { type: 'required' }, parallelToolCalls: false })
    expect(parse({ tool_choice: { type: 'tool', name: 'Bash' } })).toMatchObject({ toolChoice: { type: 'tool', name: 'Bash' }, parallelToolCalls: null })
    expect(parse({ tool_choice: { type: 'none' } }).toolChoice).toEqual({ type: 'none' })
  })

  it('maps thinking, effort and structured output', () => {
    expect(parse({ thinking: { type: 'adaptive' }, output_config: { effort: 'low' } }).reasoning).toEqual({ adaptive: true, includeThoughts: true, effort: 'low' })
    expect(parse({ thinking: { type: 'disabled' }, output_config: { effort: 'max' } }).reasoning).toEqual({ effort: 'none', includeThoughts: false })
    expect(parse({ output_config: { effort: 'medium' } }).reasoning).toEqual({ effort: 'medium' })
    const schema = { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false }
    expect(parse({ output_config: { format: { type: 'json_schema', schema } } }).responseFormat).toEqual({ type: 'json_schema', name: 'output', schema, strict: false })
    expect(parse({ output_format: { type: 'json_schema', schema } }).responseFormat).toEqual({ type: 'json_schema', name: 'output', schema, strict: false })
  })

  it('reads sampling, stop sequences and a mid-conversation system message', () => {
    const request = parse({
      temperature: 0.2,
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ['###', 7],
      messages: [
        { role: 'user', content: 'a' },
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] }
      ]
    })
    expect(request.generation).toMatchObject({ temperature: 0.2, topP: 0.9, topK: 40, stop: ['###'] })
    expect(request.messages[1]).toEqual({ role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] })
  })

  it('opens sealed artefacts and splits artefacts riding in tool ids', () => {
    const id = attachToId('call_9', { protocol: 'gemini', value: 'dGhvdWdodA==' })
    const request = parse({
      messages: [
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'from gemini', signature: 'cuttle1.gemini.c2ln' },
            { type: 'thinking', thinking: 'unsigned', signature: '' },
            { type: 'redacted_thinking', data: 'cuttle1.openai-responses.gAAAenc' },
            { type: 'tool_use', id, name: 'f', input: { a: 1 } }
          ]
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: 'done', is_error: true }] }
      ]
    })
    expect(request.messages[0]?.parts).toEqual([
      { type: 'reasoning', text: 'from gemini', opaque: { protocol: 'gemini', value: 'c2ln' } },
      { type: 'reasoning', text: 'unsigned' },
      { type: 'reasoning', text: '', opaque: { protocol: 'openai-responses', value: 'gAAAenc', redacted: true } },
      { type: 'tool_call', id: 'call_9', name: 'f', arguments: '{"a":1}', kind: 'function', opaque: { protocol: 'gemini', value: 'dGhvdWdodA==' } }
    ])
    expect(request.messages[1]?.parts).toEqual([{ type: 'tool_result', callId: 'call_9', content: [{ type: 'text', text: 'done' }], isError: true }])
  })

  it('reads image and document sources, dropping server-tool blocks', () => {
    const request = parse({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
            { type: 'image', source: { type: 'file', file_id: 'file_011' } },
            { type: 'document', title: 'spec.pdf', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' } },
            { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'plain words' } },
            { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] }
          ]
        }
      ]
    })
    expect(request.messages[0]?.parts).toEqual([
      { type: 'image', source: { kind: 'url', url: 'https://example.com/a.png' } },
      { type: 'image', source: { kind: 'file_id', fileId: 'file_011' } },
      { type: 'file', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0=' }, filename: 'spec.pdf' },
      { type: 'text', text: 'plain words' }
    ])
  })
})
