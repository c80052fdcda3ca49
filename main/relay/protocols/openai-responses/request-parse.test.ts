import { describe, expect, it } from 'vitest'
import { attachToId, sealOpaque } from '../../canonical/opaque'
import { RelayError } from '../../relay-errors'
import { openAiResponsesAdapter } from './index'
import { fixtureObject } from './test-helpers'

const parse = (body: Record<string, unknown>) => openAiResponsesAdapter.client.parseRequest(body, { model: String(body.model ?? 'm'), stream: body.stream === true })
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='

describe('parseRequest: a recorded Codex request', () => {
  const request = parse(fixtureObject('codex-request.json'))

  it('puts instructions first, then the leading developer message, as system segments', () => {
    expect(request.system).toEqual([
      { text: 'You are Codex, based on GPT-5. You are running as a coding agent in the Codex CLI on a user\'s computer.', origin: 'instructions', cache: false },
      { text: '<permissions instructions>Sandbox: workspace-write.</permissions instructions>', origin: 'developer', cache: false }
    ])
  })

  it('keeps the conversation order, grouping assistant items and tool outputs (case 25)', () => {
    expect(request.messages.map(m => [m.role, m.parts.map(p => p.type)])).toEqual([
      ['user', ['text']],
      ['user', ['text', 'image']],
      ['assistant', ['reasoning', 'text', 'tool_call', 'tool_call']],
      ['user', ['tool_result', 'tool_result']],
      ['assistant', ['tool_call']],
      ['user', ['tool_result']],
      ['system', ['text']],
      ['user', ['text']]
    ])
  })

  it('reads reasoning as one part: summaries joined, encrypted_content as an OpenAI artefact, no id', () => {
    expect(request.messages[2]?.parts[0]).toEqual({
      type: 'reasoning',
      text: '**Inspecting the repo**\n\nI should list the files first.\n\n**Running tests**',
      opaque: { protocol: 'openai-responses', value: 'gAAAAABo-opaque-openai-blob-1==' }
    })
  })

  it('reads function calls with call_id as the id and a result per call (array output kept as text + image)', () => {
    expect(request.messages[2]?.parts[2]).toEqual({
      type: 'tool_call',
      id: 'call_ls01',
      name: 'shell',
      arguments: '{"command":["ls","-la"],"workdir":"/tmp/work"}',
      kind: 'function'
    })
    expect(request.messages[3]?.parts).toEqual([
      {
        type: 'tool_result',
        callId: 'call_ls01',
        name: 'shell',
        content: [{ type: 'text', text: '{"output":"total 8\\npackage.json\\nsrc\\n","metadata":{"exit_code":0,"duration_seconds":0.0}}' }],
        isError: false
      },
      {
        type: 'tool_result',
        callId: 'call_test02',
        name: 'shell',
        content: [
          { type: 'text', text: '1 failing: expected 2, got 3' },
          { type: 'image', source: { kind: 'url', url: PNG } }
        ],
        isError: false
      }
    ])
  })

  it('reads the apply_patch custom call and its output (case 23)', () => {
    expect(request.messages[4]?.parts).toEqual([
      {
        type: 'tool_call',
        id: 'call_patch03',
        name: 'apply_patch',
        arguments: '*** Begin Patch\n*** Update File: src/sum.js\n@@\n-  return a + b + 1\n+  return a + b\n*** End Patch\n',
        kind: 'custom'
      }
    ])
    expect(request.messages[5]?.parts).toEqual([
      {
        type: 'tool_result',
        callId: 'call_patch03',
        name: 'apply_patch',
        content: [{ type: 'text', text: 'Success. Updated the following files:\nM src/sum.js\n' }],
        isError: false,
        custom: true
      }
    ])
  })

  it('turns a later developer message into a system message and reads a type-less message', () => {
    expect(request.messages[6]).toEqual({ role: 'system', parts: [{ type: 'text', text: 'The user changed the approval policy to never.' }] })
    expect(request.messages[7]).toEqual({ role: 'user', parts: [{ type: 'text', text: 'Thanks, now run the tests again.' }] })
  })

  it('keeps function and custom tools, drops hosted ones (case 23, 32)', () => {
    expect(request.tools.map(t => [t.name, t.kind])).toEqual([
      ['shell', 'function'],
      ['apply_patch', 'custom']
    ])
    expect(request.tools[0]?.strict).toBe(false)
    expect(request.tools[1]?.customFormat).toEqual({
      type: 'grammar',
      syntax: 'lark',
      definition: 'start: begin_patch hunk+ end_patch\nbegin_patch: "*** Begin Patch" LF\nend_patch: "*** End Patch" LF?\n'
    })
  })

  it('reads the options', () => {
    expect(request.model).toBe('gpt-5-codex')
    expect(request.stream).toBe(true)
    expect(request.toolChoice).toEqual({ type: 'auto' })
    expect(request.parallelToolCalls).toBe(true)
    expect(request.reasoning).toEqual({ effort: 'medium', summary: 'auto', includeThoughts: true })
    expect(request.promptCacheKey).toBe('0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b')
    expect(request.responseFormat).toEqual({ type: 'text' })
    expect(request.streamUsage).toBe(true)
  })
})

describe('parseRequest: other shapes', () => {
  it('reads a string input as one user text', () => {
    const request = parse({ model: 'm', input: 'Hello' })
    expect(request.messages).toEqual([{ role: 'user', parts: [{ type: 'text', text: 'Hello' }] }])
    expect(request.system).toEqual([])
    expect(request.stream).toBe(false)
  })

  it('rejects previous_response_id, which only a Responses channel can honour', () => {
    const call = () => parse({ model: 'm', input: 'next', previous_response_id: 'resp_123' })
    expect(call).toThrow(RelayError)
    expect(call).toThrow(/previous_response_id needs a Responses channel/)
    expect(() => parse({ model: 'm', input: 'next', conversation: { id: 'conv_1' } })).toThrow(/conversation needs a Responses channel/)
    expect(parse({ model: 'm', input: 'x', previous_response_id: null }).messages).toHaveLength(1)
  })

  it('rejects an input that is neither string nor list', () => {
    expect(() => parse({ model: 'm', input: 42 })).toThrow(/`input` must be a string or an array/)
  })

  it('reads every tool_choice form', () => {
    const choice = (tool_choice: unknown) => parse({ model: 'm', input: 'x', tool_choice }).toolChoice
    expect(choice('none')).toEqual({ type: 'none' })
    expect(choice('required')).toEqual({ type: 'required' })
    expect(choice({ type: 'function', name: 'shell' })).toEqual({ type: 'tool', name: 'shell' })
    expect(choice({ type: 'custom', name: 'apply_patch' })).toEqual({ type: 'tool', name: 'apply_patch' })
    expect(choice({ type: 'allowed_tools', mode: 'required', tools: [{ type: 'function', name: 'a' }, { type: 'custom', name: 'b' }] })).toEqual({
      type: 'allowed',
      names: ['a', 'b'],
      mode: 'required'
    })
    expect(choice({ type: 'web_search_preview' })).toBeNull()
  })

  it('reads sampling, output, format and identity options', () => {
    const request = parse({
      model: 'm',
      input: 'x',
      max_output_tokens: 2048,
      temperature: 0.2,
      top_p: 0.9,
      text: { format: { type: 'json_schema', name: 'codex_output_schema', schema: { type: 'object', properties: {} }, strict: true } },
      safety_identifier: 'user-42',
      user: 'legacy',
      reasoning: { effort: 'high' }
    })
    expect(request.generation).toMatchObject({ maxOutputTokens: 2048, temperature: 0.2, topP: 0.9 })
    expect(request.responseFormat).toEqual({ type: 'json_schema', name: 'codex_output_schema', schema: { type: 'object', properties: {} }, strict: true })
    expect(request.user).toBe('user-42')
    expect(request.reasoning).toEqual({ effort: 'high' })
    expect(parse({ model: 'm', input: 'x', text: { format: { type: 'json_object' } } }).responseFormat).toEqual({ type: 'json_object' })
  })

  it('reads user content parts: images by URL and file id, files by data, URL and id', () => {
    const request = parse({
      model: 'm',
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_image', image_url: 'https://example.com/cat.png', detail: 'low' },
            { type: 'input_image', file_id: 'file-img1' },
            { type: 'input_file', file_data: 'data:application/pdf;base64,JVBERi0xLjQ=', filename: 'spec.pdf' },
            { type: 'input_file', file_url: 'https://example.com/a.pdf' },
            { type: 'input_file', file_id: 'file-abc' }
          ]
        }
      ]
    })
    expect(request.messages[0]?.parts).toEqual([
      { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.png' }, detail: 'low' },
      { type: 'image', source: { kind: 'file_id', fileId: 'file-img1' } },
      { type: 'file', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0xLjQ=' }, filename: 'spec.pdf' },
      { type: 'file', source: { kind: 'url', url: 'https://example.com/a.pdf' } },
      { type: 'file', source: { kind: 'file_id', fileId: 'file-abc' } }
    ])
  })

  it('reads assistant refusals and a system message in the middle', () => {
    const request = parse({
      model: 'm',
      input: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Do something bad' },
        { type: 'message', role: 'assistant', content: [{ type: 'refusal', refusal: 'I cannot help with that.' }] },
        { role: 'system', content: [{ type: 'input_text', text: 'Stay polite.' }] }
      ]
    })
    expect(request.system).toEqual([{ text: 'Be brief.', origin: 'system', cache: false }])
    expect(request.messages).toEqual([
      { role: 'user', parts: [{ type: 'text', text: 'Do something bad' }] },
      { role: 'assistant', parts: [{ type: 'refusal', text: 'I cannot help with that.' }] },
      { role: 'system', parts: [{ type: 'text', text: 'Stay polite.' }] }
    ])
  })

  it('opens artefacts other providers minted: sealed encrypted_content, redacted thinking, a signature in a call_id', () => {
    const signature = sealOpaque({ protocol: 'anthropic', value: 'EqQBCkYIBxgCKkD-sig' }, 'openai-responses')
    const callId = attachToId('call_g1', { protocol: 'gemini', value: 'CiQB-thought-sig' })
    const request = parse({
      model: 'm',
      input: [
        { role: 'user', content: 'Go' },
        { type: 'reasoning', id: 'rs_keep', summary: [{ type: 'summary_text', text: 'Thinking about it.' }], encrypted_content: signature },
        { type: 'reasoning', summary: [], encrypted_content: sealOpaque({ protocol: 'anthropic', value: 'REDACTED-DATA', redacted: true }, 'openai-responses') },
        { type: 'function_call', call_id: callId, name: 'lookup', arguments: '{"q":1}' },
        { type: 'function_call_output', call_id: callId, output: 'found' }
      ]
    })
    expect(request.messages[1]?.parts).toEqual([
      { type: 'reasoning', text: 'Thinking about it.', opaque: { protocol: 'anthropic', value: 'EqQBCkYIBxgCKkD-sig' }, id: 'rs_keep' },
      { type: 'reasoning', text: '', opaque: { protocol: 'anthropic', value: 'REDACTED-DATA', redacted: true } },
      { type: 'tool_call', id: 'call_g1', name: 'lookup', arguments: '{"q":1}', kind: 'function', opaque: { protocol: 'gemini', value: 'CiQB-thought-sig' } }
    ])
    expect(request.messages[2]?.parts).toEqual([{ type: 'tool_result', callId: 'call_g1', name: 'lookup', content: [{ type: 'text', text: 'found' }], isError: false }])
  })

  it('ignores malformed items instead of crashing', () => {
    const request = parse({ model: 'm', input: [null, 7, 'x', { type: 'function_call' }, { type: 'reasoning', summary: [] }, { role: 'user', content: [{ type: 'input_text' }] }], tools: [null, { type: 'function' }] })
    expect(request.messages).toEqual([])
    expect(request.tools).toEqual([])
  })
})
