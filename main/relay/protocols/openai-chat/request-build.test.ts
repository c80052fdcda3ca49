import { describe, expect, it } from 'vitest'
import { emptyRequest, type CanonicalRequest, type Message, type ReasoningRequest } from '../../canonical/request'
import { MISSING_RESULT } from '../../canonical/tool-pairing'
import { fixtureJson } from './fixtures/fixtures'
import { buildChatRequest } from './request-build'
import { parseChatRequest } from './request-parse'

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='

function request(messages: Message[], extra: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return { ...emptyRequest('client-model', false), messages, ...extra }
}

const threeCalls: Message = {
  role: 'assistant',
  parts: [
    { type: 'reasoning', text: 'thinking', opaque: { protocol: 'anthropic', value: 'sig' } },
    { type: 'text', text: 'Let me check.' },
    { type: 'tool_call', id: 'toolu_1', name: 'read', arguments: '{"p":"a"}', kind: 'function' },
    { type: 'tool_call', id: 'toolu_2', name: 'read', arguments: '', kind: 'function' },
    { type: 'tool_call', id: 'toolu_3', name: 'apply_patch', arguments: '*** Begin Patch', kind: 'custom' },
    { type: 'text', text: 'Calls sent.' }
  ]
}
const threeResults: Message = {
  role: 'user',
  parts: [
    { type: 'tool_result', callId: 'toolu_1', content: [{ type: 'text', text: 'A' }], isError: false },
    { type: 'tool_result', callId: 'toolu_2', content: [{ type: 'text', text: 'not found' }], isError: true },
    { type: 'tool_result', callId: 'toolu_3', content: [{ type: 'text', text: 'ok' }], isError: false },
    { type: 'text', text: 'Now summarise.' }
  ]
}

describe('buildChatRequest: messages', () => {
  it('puts system segments in ONE leading system message (never developer) and keeps mid-conversation system in place', () => {
    const body = buildChatRequest(
      request([{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }, { role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] }], {
        system: [
          { text: 'You are Claude Code.', origin: 'system', cache: true },
          { text: 'Use tools.', origin: 'developer', cache: false },
          { text: '  ', origin: 'instructions', cache: false }
        ]
      }),
      'deepseek-chat'
    )
    expect(body.messages).toEqual([
      { role: 'system', content: 'You are Claude Code.\n\nUse tools.' },
      { role: 'user', content: 'hi' },
      { role: 'system', content: 'Be brief.' }
    ])
  })

  it('§4 case 18 (build side): one user message with 3 results + text → 3 tool messages in order, then the user text', () => {
    const body = buildChatRequest(request([{ role: 'user', parts: [{ type: 'text', text: 'go' }] }, threeCalls, threeResults]), 'gpt-4o')
    expect(body.messages).toEqual([
      { role: 'user', content: 'go' },
      {
        role: 'assistant',
        // §3.5 item 7: text after the tool calls is kept; reasoning is dropped.
        content: 'Let me check.\n\nCalls sent.',
        tool_calls: [
          { id: 'toolu_1', type: 'function', function: { name: 'read', arguments: '{"p":"a"}' } },
          { id: 'toolu_2', type: 'function', function: { name: 'read', arguments: '{}' } },
          { id: 'toolu_3', type: 'custom', custom: { name: 'apply_patch', input: '*** Begin Patch' } }
        ]
      },
      { role: 'tool', tool_call_id: 'toolu_1', content: 'A' },
      { role: 'tool', tool_call_id: 'toolu_2', content: 'Error: not found' },
      { role: 'tool', tool_call_id: 'toolu_3', content: 'ok' },
      { role: 'user', content: 'Now summarise.' }
    ])
  })

  it('reasoning text goes back as reasoning_content only to servers that demand it (DeepSeek), never a signature', () => {
    const history = request([{ role: 'user', parts: [{ type: 'text', text: 'go' }] }, threeCalls, threeResults])
    const assistantOf = (model: string) => (buildChatRequest(history, model).messages as Array<Record<string, unknown>>)[1]
    expect(assistantOf('deepseek-reasoner')).toMatchObject({ role: 'assistant', reasoning_content: 'thinking' })
    expect(JSON.stringify(assistantOf('deepseek-reasoner'))).not.toContain('sig')
    expect(assistantOf('gpt-4o')).not.toHaveProperty('reasoning_content')
    expect(assistantOf('llama-3.3-70b-versatile')).not.toHaveProperty('reasoning_content')
  })

  it('§4 case 25 (chat side): a tool result with an image → a text tool message, then a user message with the image', () => {
    const calls: Message = {
      role: 'assistant',
      parts: [
        { type: 'tool_call', id: 'call_shot', name: 'screenshot', arguments: '{}', kind: 'function' },
        { type: 'tool_call', id: 'call_pic', name: 'picture', arguments: '{}', kind: 'function' }
      ]
    }
    const body = buildChatRequest(
      request([
        calls,
        {
          role: 'user',
          parts: [
            {
              type: 'tool_result',
              callId: 'call_shot',
              content: [
                { type: 'text', text: 'Screenshot taken' },
                { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: PNG } }
              ],
              isError: false
            },
            { type: 'tool_result', callId: 'call_pic', content: [{ type: 'image', source: { kind: 'url', url: 'https://example.com/x.png' } }], isError: false }
          ]
        }
      ]),
      'gpt-4o'
    )
    expect(body.messages).toEqual([
      { role: 'assistant', content: null, tool_calls: [expect.objectContaining({ id: 'call_shot' }), expect.objectContaining({ id: 'call_pic' })] },
      { role: 'tool', tool_call_id: 'call_shot', content: 'Screenshot taken' },
      { role: 'tool', tool_call_id: 'call_pic', content: '[1 image(s) in the next message]' },
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
          { type: 'image_url', image_url: { url: 'https://example.com/x.png' } }
        ]
      }
    ])
  })

  it('renders user images, files and assistant refusals; content is null only beside tool calls, which always get a result', () => {
    const body = buildChatRequest(
      request([
        {
          role: 'user',
          parts: [
            { type: 'text', text: 'look' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/jpeg', data: 'AAAA' }, detail: 'high' },
            { type: 'file', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBE' }, filename: 'a.pdf' },
            { type: 'file', source: { kind: 'file_id', fileId: 'file-1' } },
            { type: 'file', source: { kind: 'url', url: 'https://example.com/b.pdf' }, filename: 'b.pdf' }
          ]
        },
        { role: 'assistant', parts: [{ type: 'refusal', text: 'No.' }] },
        { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'f', arguments: '{}', kind: 'function' }] },
        { role: 'assistant', parts: [{ type: 'reasoning', text: 'only thoughts' }] }
      ]),
      'gpt-4o'
    )
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'look' },
          { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,AAAA', detail: 'high' } },
          { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBE', filename: 'a.pdf' } },
          { type: 'file', file: { file_id: 'file-1' } },
          { type: 'text', text: '[b.pdf](https://example.com/b.pdf)' }
        ]
      },
      { role: 'assistant', content: 'No.' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
      // The history never answered c1; OpenAI rejects a tool call without a tool message after it (§7 invariant 4).
      { role: 'tool', tool_call_id: 'c1', content: `Error: ${MISSING_RESULT}` }
    ])
  })
})

describe('buildChatRequest: parameters', () => {
  const base = request([{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }])
  const withGen = { ...base, stream: true, generation: { ...base.generation, maxOutputTokens: 500, temperature: 0.5, topP: 0.9, topK: 40, stop: ['a', 'b', 'c', 'd', 'e'], seed: 1, n: 2, presencePenalty: 0.1, frequencyPenalty: 0.3 } }

  it('compatible server: max_tokens, sampling kept, top_k dropped, stop truncated to 4, usage asked for in the stream', () => {
    const body = buildChatRequest(withGen, 'deepseek-chat')
    expect(body).toMatchObject({ model: 'deepseek-chat', stream: true, stream_options: { include_usage: true }, max_tokens: 500, temperature: 0.5, top_p: 0.9, n: 2, seed: 1 })
    expect(body.stop).toEqual(['a', 'b', 'c', 'd'])
    expect(body).toMatchObject({ presence_penalty: 0.1, frequency_penalty: 0.3 })
    expect(body).not.toHaveProperty('top_k')
    expect(body).not.toHaveProperty('max_completion_tokens')
  })

  it('OpenAI reasoning model: max_completion_tokens, no temperature / top_p', () => {
    for (const model of ['o3-mini', 'gpt-5', 'gpt-5.1-codex']) {
      const body = buildChatRequest(withGen, model)
      expect(body.max_completion_tokens).toBe(500)
      expect(body).not.toHaveProperty('max_tokens')
      expect(body).not.toHaveProperty('temperature')
      expect(body).not.toHaveProperty('top_p')
    }
    expect(buildChatRequest(base, 'gpt-4o')).not.toHaveProperty('stream')
  })

  it('maps reasoning to reasoning_effort (budget table, adaptive, none only for OpenAI)', () => {
    const effort = (reasoning: ReasoningRequest, model = 'deepseek-reasoner') => buildChatRequest({ ...base, reasoning }, model).reasoning_effort
    expect(effort({ budgetTokens: 1024 })).toBe('low')
    expect(effort({ budgetTokens: 2048 })).toBe('low')
    expect(effort({ budgetTokens: 8000 })).toBe('medium')
    expect(effort({ budgetTokens: 12000 })).toBe('medium')
    expect(effort({ budgetTokens: 32000 })).toBe('high')
    expect(effort({ adaptive: true })).toBe('medium')
    expect(effort({ effort: 'none' })).toBeUndefined()
    expect(effort({ effort: 'none' }, 'gpt-5.1')).toBe('none')
    expect(effort({ effort: 'minimal' })).toBe('low')
    expect(effort({ effort: 'max' })).toBe('high')
    expect(effort({ effort: 'xhigh' }, 'gpt-5.2')).toBe('xhigh')
    expect(effort({ includeThoughts: true })).toBeUndefined()
  })

  it('renders json formats with the json_schema nesting', () => {
    expect(buildChatRequest({ ...base, responseFormat: { type: 'json_object' } }, 'm').response_format).toEqual({ type: 'json_object' })
    expect(buildChatRequest({ ...base, responseFormat: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true } }, 'm').response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'out', schema: { type: 'object' }, strict: true }
    })
    expect(buildChatRequest(base, 'm')).not.toHaveProperty('response_format')
    const odd = buildChatRequest({ ...base, responseFormat: { type: 'json_schema', name: 'my schema.v1', schema: {}, strict: false, description: 'd' } }, 'm')
    expect(odd.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'my_schema_v1', schema: {}, strict: false, description: 'd' } })
    const unnamed = buildChatRequest({ ...base, responseFormat: { type: 'json_schema', name: '', schema: {}, strict: true } }, 'm')
    expect(unnamed.response_format).toMatchObject({ json_schema: { name: 'response' } })
  })

  const tools: CanonicalRequest['tools'] = [
    { name: 'read', description: 'Read a file', parameters: { type: 'object', properties: { p: { type: 'string' } } }, kind: 'function', strict: true },
    { name: 'apply_patch', parameters: {}, kind: 'custom', customFormat: { type: 'grammar', syntax: 'lark', definition: 'start: /.+/' } },
    { name: 'write', parameters: { type: 'object', properties: {} }, kind: 'function' }
  ]

  it('renders function and custom tools, tool_choice and parallel_tool_calls', () => {
    const body = buildChatRequest({ ...base, tools, toolChoice: { type: 'tool', name: 'apply_patch' }, parallelToolCalls: false }, 'gpt-5')
    expect(body.tools).toEqual([
      { type: 'function', function: { name: 'read', description: 'Read a file', parameters: { type: 'object', properties: { p: { type: 'string' } } }, strict: true } },
      { type: 'custom', custom: { name: 'apply_patch', format: { type: 'grammar', grammar: { definition: 'start: /.+/', syntax: 'lark' } } } },
      { type: 'function', function: { name: 'write', parameters: { type: 'object', properties: {} } } }
    ])
    expect(body.tool_choice).toEqual({ type: 'custom', custom: { name: 'apply_patch' } })
    expect(body.parallel_tool_calls).toBe(false)
    expect(buildChatRequest({ ...base, tools, toolChoice: { type: 'tool', name: 'read' } }, 'm').tool_choice).toEqual({ type: 'function', function: { name: 'read' } })
    expect(buildChatRequest({ ...base, tools, toolChoice: { type: 'required' } }, 'm').tool_choice).toBe('required')
  })

  it('allowed tools: allowed_tools for OpenAI, a filtered tool list elsewhere', () => {
    const choice = { type: 'allowed' as const, names: ['read', 'apply_patch'], mode: 'required' as const }
    expect(buildChatRequest({ ...base, tools, toolChoice: choice }, 'gpt-4.1').tool_choice).toEqual({
      type: 'allowed_tools',
      allowed_tools: { mode: 'required', tools: [{ type: 'function', function: { name: 'read' } }, { type: 'custom', custom: { name: 'apply_patch' } }] }
    })
    const compat = buildChatRequest({ ...base, tools, toolChoice: choice }, 'qwen3')
    expect(compat.tool_choice).toBe('required')
    expect((compat.tools as Array<{ type: string }>).map(t => t.type)).toEqual(['function', 'custom'])
  })

  it('sends no tool_choice / parallel_tool_calls without tools', () => {
    const body = buildChatRequest({ ...base, toolChoice: { type: 'auto' }, parallelToolCalls: true }, 'gpt-4o')
    expect(body).not.toHaveProperty('tools')
    expect(body).not.toHaveProperty('tool_choice')
    expect(body).not.toHaveProperty('parallel_tool_calls')
  })

  it('user: kept when short, hashed when longer than OpenAI allows; prompt_cache_key only to OpenAI', () => {
    expect(buildChatRequest({ ...base, user: 'u-1', promptCacheKey: 'k' }, 'gpt-4o')).toMatchObject({ user: 'u-1', prompt_cache_key: 'k' })
    expect(buildChatRequest({ ...base, promptCacheKey: 'k' }, 'deepseek-chat')).not.toHaveProperty('prompt_cache_key')
    const long = buildChatRequest({ ...base, user: `user_${'a'.repeat(64)}_account__session_123` }, 'm').user
    expect(long).toMatch(/^[0-9a-f]{32}$/)
  })
})

describe('parse ∘ build', () => {
  it('a Chat body survives parse → build with the same conversation (system merged, developer → system)', () => {
    const parsed = parseChatRequest(fixtureJson('request-agent.json'), { model: 'x', stream: true })
    const messages = buildChatRequest(parsed, 'gpt-4o').messages as Array<{ role: string }>
    expect(messages.map(m => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'tool', 'tool', 'user', 'system', 'assistant'])
    expect(messages[4]).toEqual({ role: 'tool', tool_call_id: 'call_b', content: '21C\nclear' })
  })
})
