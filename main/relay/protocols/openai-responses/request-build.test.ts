import { describe, expect, it } from 'vitest'
import { emptyRequest, type CanonicalRequest } from '../../canonical/request'
import { RelayError } from '../../relay-errors'
import { openAiResponsesAdapter } from './index'
import { decodeStream, fixtureText } from './test-helpers'

const build = (request: CanonicalRequest, model = 'gpt-4.1') => openAiResponsesAdapter.upstream.buildRequest(request, model)
const PNG_B64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='

/** A conversation as another protocol's client would send it (Anthropic-like: system, thinking, tool loop). */
function conversation(): CanonicalRequest {
  const request = emptyRequest('claude-sonnet-4-5', true)
  request.system = [
    { text: 'You are Claude Code.', origin: 'system', cache: true },
    { text: 'Answer in English.', origin: 'system', cache: false }
  ]
  request.messages = [
    {
      role: 'user',
      parts: [
        { type: 'text', text: 'What is in this image?' },
        { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: PNG_B64 } }
      ]
    },
    {
      role: 'assistant',
      parts: [
        { type: 'reasoning', text: 'Anthropic thinking', opaque: { protocol: 'anthropic', value: 'sig-anthropic' } },
        { type: 'reasoning', text: 'Unsigned thinking' },
        { type: 'text', text: 'Let me look.' },
        { type: 'tool_call', id: 'toolu_01', name: 'Read', arguments: '{"file_path":"/a.png"}', kind: 'function' },
        { type: 'tool_call', id: 'toolu_02', name: 'Bash', arguments: '', kind: 'function' }
      ]
    },
    {
      role: 'user',
      parts: [
        { type: 'tool_result', callId: 'toolu_01', content: [{ type: 'text', text: 'image follows' }, { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: PNG_B64 } }], isError: false },
        { type: 'tool_result', callId: 'toolu_02', content: [{ type: 'text', text: 'command not found' }], isError: true },
        { type: 'text', text: 'Go on.' }
      ]
    },
    { role: 'system', parts: [{ type: 'text', text: 'Mid-conversation reminder.' }] }
  ]
  return request
}

describe('buildRequest: the input', () => {
  const body = build(conversation())

  it('joins system segments into instructions and sends store:false', () => {
    expect(body.instructions).toBe('You are Claude Code.\n\nAnswer in English.')
    expect(body.store).toBe(false)
    expect(body.stream).toBe(true)
    expect(body.model).toBe('gpt-4.1')
  })

  it('writes items in order; foreign and unsigned reasoning is dropped; results are their own items', () => {
    expect(body.input).toEqual([
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'What is in this image?' },
          { type: 'input_image', image_url: `data:image/png;base64,${PNG_B64}`, detail: 'auto' }
        ]
      },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Let me look.', annotations: [] }] },
      { type: 'function_call', call_id: 'toolu_01', name: 'Read', arguments: '{"file_path":"/a.png"}' },
      { type: 'function_call', call_id: 'toolu_02', name: 'Bash', arguments: '{}' },
      {
        type: 'function_call_output',
        call_id: 'toolu_01',
        output: [
          { type: 'input_text', text: 'image follows' },
          { type: 'input_image', image_url: `data:image/png;base64,${PNG_B64}`, detail: 'auto' }
        ]
      },
      { type: 'function_call_output', call_id: 'toolu_02', output: 'Error: command not found' },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Go on.' }] },
      { type: 'message', role: 'system', content: [{ type: 'input_text', text: 'Mid-conversation reminder.' }] }
    ])
  })
})

describe('buildRequest: reasoning replay (case 26)', () => {
  it('replays OpenAI reasoning with its original id or none, encrypted_content byte-identical; never a new id', () => {
    const request = emptyRequest('m', false)
    request.messages = [
      { role: 'user', parts: [{ type: 'text', text: 'Hi' }] },
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', text: 'Plan.', opaque: { protocol: 'openai-responses', value: 'gAAAA-enc-1' }, id: 'rs_orig1' },
          { type: 'reasoning', text: '', opaque: { protocol: 'openai-responses', value: 'gAAAA-enc-2' } },
          { type: 'reasoning', text: 'Gemini thought', opaque: { protocol: 'gemini', value: 'thought-sig' } },
          { type: 'text', text: 'Hello!' }
        ]
      }
    ]
    const input = build(request).input
    expect(input).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hi' }] },
      { type: 'reasoning', id: 'rs_orig1', summary: [{ type: 'summary_text', text: 'Plan.' }], encrypted_content: 'gAAAA-enc-1' },
      { type: 'reasoning', summary: [], encrypted_content: 'gAAAA-enc-2' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hello!', annotations: [] }] }
    ])
  })

  it('round-trips an OpenAI stream\'s reasoning into the next request unchanged', () => {
    const events = decodeStream(fixtureText('upstream-reasoning-text-tools.sse'))
    const done = events.find(e => e.type === 'reasoning_done')
    expect(done).toEqual({ type: 'reasoning_done', opaque: { protocol: 'openai-responses', value: 'gAAAAABowPCj-ENCRYPTED-0123456789abcdef==' }, id: 'rs_68c1f0a3c2e08190b2' })
    const text = events.flatMap(e => (e.type === 'reasoning_delta' ? [e.text] : [])).join('')
    const request = emptyRequest('m', true)
    if (done?.type !== 'reasoning_done') throw new Error('no reasoning_done')
    request.messages = [
      { role: 'user', parts: [{ type: 'text', text: 'Weather?' }] },
      { role: 'assistant', parts: [{ type: 'reasoning', text, ...(done.opaque ? { opaque: done.opaque } : {}), ...(done.id ? { id: done.id } : {}) }] }
    ]
    expect(build(request).input).toContainEqual({
      type: 'reasoning',
      id: 'rs_68c1f0a3c2e08190b2',
      summary: [{ type: 'summary_text', text: '**Planning**\n\nCheck the weather.\n\n**Two cities**' }],
      encrypted_content: 'gAAAAABowPCj-ENCRYPTED-0123456789abcdef=='
    })
  })
})

describe('buildRequest: tools and options', () => {
  it('writes flat tools (strict false unless asked), custom tools with their grammar, and choices by kind', () => {
    const request = emptyRequest('m', true)
    request.tools = [
      { name: 'get_weather', description: 'Weather by city', kind: 'function', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
      { name: 'noop', kind: 'function', parameters: {}, strict: true },
      { name: 'apply_patch', description: 'Edit files', kind: 'custom', parameters: {}, customFormat: { type: 'grammar', syntax: 'lark', definition: 'start: x' } }
    ]
    request.toolChoice = { type: 'tool', name: 'apply_patch' }
    request.parallelToolCalls = false
    const body = build(request)
    expect(body.tools).toEqual([
      { type: 'function', name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: false },
      { type: 'function', name: 'noop', parameters: { type: 'object', properties: {} }, strict: true },
      { type: 'custom', name: 'apply_patch', description: 'Edit files', format: { type: 'grammar', syntax: 'lark', definition: 'start: x' } }
    ])
    expect(body.tool_choice).toEqual({ type: 'custom', name: 'apply_patch' })
    expect(body.parallel_tool_calls).toBe(false)
    request.toolChoice = { type: 'allowed', names: ['get_weather', 'apply_patch'], mode: 'required' }
    expect(build(request).tool_choice).toEqual({
      type: 'allowed_tools',
      mode: 'required',
      tools: [
        { type: 'function', name: 'get_weather' },
        { type: 'custom', name: 'apply_patch' }
      ]
    })
    request.toolChoice = { type: 'required' }
    expect(build(request).tool_choice).toBe('required')
  })

  it('writes custom tool calls and their outputs as custom items', () => {
    const request = emptyRequest('m', true)
    request.messages = [
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_p', name: 'apply_patch', arguments: '*** Begin Patch\n*** End Patch', kind: 'custom' }] },
      { role: 'user', parts: [{ type: 'tool_result', callId: 'call_p', content: [{ type: 'text', text: 'Done' }], isError: false, custom: true }] }
    ]
    expect(build(request).input).toEqual([
      { type: 'custom_tool_call', call_id: 'call_p', name: 'apply_patch', input: '*** Begin Patch\n*** End Patch' },
      { type: 'custom_tool_call_output', call_id: 'call_p', output: 'Done' }
    ])
  })

  it('maps generation, format, reasoning and identity; drops stop; asks for encrypted reasoning', () => {
    const request = emptyRequest('m', false)
    request.generation = { ...request.generation, maxOutputTokens: 4096, temperature: 0.3, topP: 0.8, stop: ['END'], seed: 7 }
    request.responseFormat = { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true, description: 'The answer' }
    request.reasoning = { budgetTokens: 8000, includeThoughts: true }
    request.user = 'u'.repeat(80)
    request.promptCacheKey = 'session-1'
    const body = build(request)
    expect(body).toMatchObject({
      max_output_tokens: 4096,
      text: { format: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true, description: 'The answer' } },
      reasoning: { effort: 'medium', summary: 'auto' },
      include: ['reasoning.encrypted_content'],
      prompt_cache_key: 'session-1'
    })
    expect(body.safety_identifier).toMatch(/^[0-9a-f]{64}$/)
    expect(body).not.toHaveProperty('stop')
    expect(body).not.toHaveProperty('seed')
    // Reasoning was requested: sampling parameters would be rejected.
    expect(body).not.toHaveProperty('temperature')
    expect(body).not.toHaveProperty('top_p')
  })

  it('maps thinking budgets to efforts (≤2048 low, ≤12000 medium, else high)', () => {
    const effort = (budgetTokens: number) => {
      const request = emptyRequest('m', false)
      request.reasoning = { budgetTokens }
      return (build(request).reasoning as { effort?: string } | undefined)?.effort
    }
    expect([effort(1024), effort(2048), effort(2049), effort(12000), effort(12001), effort(-1)]).toEqual(['low', 'low', 'medium', 'medium', 'high', undefined])
  })

  it('keeps sampling for non-reasoning models, drops it for gpt-5 / o-series; raises a tiny max_output_tokens to 16', () => {
    const request = emptyRequest('m', false)
    request.generation = { ...request.generation, temperature: 0.5, topP: 0.9, maxOutputTokens: 1 }
    expect(build(request, 'gpt-4.1')).toMatchObject({ temperature: 0.5, top_p: 0.9, max_output_tokens: 16 })
    expect(build(request, 'gpt-5-codex')).not.toHaveProperty('temperature')
    expect(build(request, 'o4-mini')).not.toHaveProperty('top_p')
    expect(build(request, 'gpt-4.1')).not.toHaveProperty('include')
  })

  it('rejects n > 1, which Responses cannot answer', () => {
    const request = emptyRequest('m', false)
    request.generation.n = 2
    expect(() => build(request)).toThrow(RelayError)
    expect(() => build(request)).toThrow(/n > 1/)
  })

  it('writes files by data, URL and id', () => {
    const request = emptyRequest('m', false)
    request.messages = [
      {
        role: 'user',
        parts: [
          { type: 'file', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0=' }, filename: 'a.pdf' },
          { type: 'file', source: { kind: 'url', url: 'https://example.com/b.pdf' } },
          { type: 'file', source: { kind: 'file_id', fileId: 'file-1' } }
        ]
      }
    ]
    expect(build(request).input).toEqual([
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_file', file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' },
          { type: 'input_file', file_url: 'https://example.com/b.pdf' },
          { type: 'input_file', file_id: 'file-1' }
        ]
      }
    ])
  })
})
