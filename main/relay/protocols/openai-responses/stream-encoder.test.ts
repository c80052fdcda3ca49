import { describe, expect, it } from 'vitest'
import { emptyRequest } from '../../canonical/request'
import type { StreamEvent } from '../../canonical/stream-event'
import { openAiResponsesAdapter } from './index'
import { codexCheck, encodeContext, encodeStream, frames } from './test-helpers'
import { isObject } from './types'

const usage = { inputTotal: 1523, cacheRead: 1280, cacheWrite: 64, outputTotal: 245, reasoning: 192 }

describe('stream encoder: event sequence', () => {
  it('writes a text-only turn exactly as the Responses API does', () => {
    const text = encodeStream([
      { type: 'start', id: 'chatcmpl-1', model: 'gpt-4o' },
      { type: 'text_delta', text: 'Hel' },
      { type: 'text_delta', text: 'lo' },
      { type: 'finish', stop: 'end' },
      { type: 'usage', usage }
    ])
    const all = frames(text)
    expect(all.map(f => f.event)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed'
    ])
    expect(all[0]?.data).toMatchObject({
      type: 'response.created',
      sequence_number: 0,
      response: { id: 'resp_req7f3a01', object: 'response', created_at: 1_757_540_514, status: 'in_progress', model: 'codex-model', output: [], usage: null }
    })
    expect(all[2]?.data).toEqual({
      type: 'response.output_item.added',
      sequence_number: 2,
      output_index: 0,
      item: { id: 'msg_req7f3a011', type: 'message', status: 'in_progress', content: [], role: 'assistant' }
    })
    expect(all[4]?.data).toEqual({ type: 'response.output_text.delta', sequence_number: 4, item_id: 'msg_req7f3a011', output_index: 0, content_index: 0, delta: 'Hel', logprobs: [] })
    expect(all[8]?.data.item).toEqual({
      id: 'msg_req7f3a011',
      type: 'message',
      status: 'completed',
      content: [{ type: 'output_text', text: 'Hello', annotations: [], logprobs: [] }],
      role: 'assistant'
    })
    expect(codexCheck(text)).toMatchObject({
      type: 'response.completed',
      response: {
        status: 'completed',
        usage: {
          input_tokens: 1523,
          input_tokens_details: { cached_tokens: 1280, cache_write_tokens: 64 },
          output_tokens: 245,
          output_tokens_details: { reasoning_tokens: 192 },
          total_tokens: 1768
        }
      }
    })
  })

  it('echoes the request settings in the response skeleton', () => {
    const request = emptyRequest('gpt-5-codex', true)
    request.system = [{ text: 'Be Codex.', origin: 'instructions', cache: false }]
    request.tools = [{ name: 'shell', kind: 'function', parameters: { type: 'object', properties: {} } }]
    request.toolChoice = { type: 'auto' }
    request.parallelToolCalls = false
    request.generation.temperature = 0.7
    const created = frames(encodeStream([{ type: 'finish', stop: 'end' }], encodeContext(request)))[0]?.data.response
    expect(created).toMatchObject({
      instructions: 'Be Codex.',
      tools: [{ type: 'function', name: 'shell', parameters: { type: 'object', properties: {} }, strict: false }],
      tool_choice: 'auto',
      parallel_tool_calls: false,
      temperature: 0.7,
      top_p: null
    })
  })
})

describe('stream encoder: a Codex-equivalent consumer (case 24)', () => {
  const events: StreamEvent[] = [
    { type: 'start', id: 'msg_01', model: 'claude-sonnet-4-5' },
    { type: 'reasoning_delta', text: 'I should check ' },
    { type: 'reasoning_delta', text: 'both cities.' },
    { type: 'reasoning_done', opaque: { protocol: 'anthropic', value: 'EqQBCkYIBxgCKkD-signature' } },
    { type: 'text_delta', text: 'Checking.' },
    { type: 'tool_call_start', index: 0, id: 'toolu_A', name: 'get_weather', kind: 'function' },
    { type: 'tool_call_start', index: 1, id: 'toolu_B', name: 'get_weather', kind: 'function' },
    { type: 'tool_call_delta', index: 0, arguments: '{"city":' },
    { type: 'tool_call_delta', index: 1, arguments: '{"city":"Tokyo"}' },
    { type: 'tool_call_delta', index: 0, arguments: '"Paris"}' },
    { type: 'tool_call_start', index: 2, id: 'toolu_C', name: 'list_files', kind: 'function' },
    { type: 'usage', usage },
    { type: 'finish', stop: 'tool_use' }
  ]
  const text = encodeStream(events)
  const terminal = codexCheck(text)
  const output = isObject(terminal.response) ? terminal.response.output : undefined

  it('puts every item, complete and in order, in response.completed', () => {
    expect(terminal.type).toBe('response.completed')
    expect(output).toEqual([
      {
        id: 'rs_req7f3a011',
        type: 'reasoning',
        summary: [{ type: 'summary_text', text: 'I should check both cities.' }],
        encrypted_content: 'cuttle1.anthropic.EqQBCkYIBxgCKkD-signature'
      },
      { id: 'msg_req7f3a012', type: 'message', status: 'completed', content: [{ type: 'output_text', text: 'Checking.', annotations: [], logprobs: [] }], role: 'assistant' },
      { id: 'fc_req7f3a013', type: 'function_call', status: 'completed', arguments: '{"city":"Paris"}', call_id: 'toolu_A', name: 'get_weather' },
      { id: 'fc_req7f3a014', type: 'function_call', status: 'completed', arguments: '{"city":"Tokyo"}', call_id: 'toolu_B', name: 'get_weather' },
      { id: 'fc_req7f3a015', type: 'function_call', status: 'completed', arguments: '{}', call_id: 'toolu_C', name: 'list_files' }
    ])
  })

  it('writes the reasoning item with a summary part and closes the message before the first tool item', () => {
    const names = frames(text).map(f => f.event)
    expect(names.slice(2, 9)).toEqual([
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
      'response.output_item.done'
    ])
    const firstTool = names.indexOf('response.output_item.added', 12)
    expect(names.slice(firstTool - 3, firstTool)).toEqual(['response.output_text.done', 'response.content_part.done', 'response.output_item.done'])
  })

  it('sends the history back so the next request carries the same reasoning artefact and call ids', () => {
    const items = Array.isArray(output) ? output : []
    const next = openAiResponsesAdapter.client.parseRequest({ model: 'm', input: [{ role: 'user', content: 'Weather?' }, ...items] }, { model: 'm', stream: true })
    expect(next.messages[1]?.parts.slice(0, 3)).toEqual([
      { type: 'reasoning', text: 'I should check both cities.', opaque: { protocol: 'anthropic', value: 'EqQBCkYIBxgCKkD-signature' }, id: 'rs_req7f3a011' },
      { type: 'text', text: 'Checking.' },
      { type: 'tool_call', id: 'toolu_A', name: 'get_weather', arguments: '{"city":"Paris"}', kind: 'function' }
    ])
  })
})

describe('stream encoder: custom tools (case 23)', () => {
  const ctx = encodeContext()
  const text = encodeStream(
    [
      { type: 'start', id: 'x', model: 'm' },
      { type: 'tool_call_start', index: 0, id: 'call_patch', name: 'apply_patch', kind: 'custom' },
      { type: 'tool_call_delta', index: 0, arguments: '*** Begin Patch\n*** Add File: hello.txt\n+hi\n*** End Patch' },
      { type: 'finish', stop: 'tool_use' }
    ],
    ctx
  )

  it('streams custom_tool_call_input events and a custom_tool_call item with the raw input', () => {
    const all = frames(text)
    expect(all.map(f => f.event).slice(2)).toEqual([
      'response.output_item.added',
      'response.custom_tool_call_input.delta',
      'response.custom_tool_call_input.done',
      'response.output_item.done',
      'response.completed'
    ])
    expect(all[4]?.data).toEqual({
      type: 'response.custom_tool_call_input.done',
      sequence_number: 4,
      item_id: 'ctc_req7f3a011',
      output_index: 0,
      input: '*** Begin Patch\n*** Add File: hello.txt\n+hi\n*** End Patch'
    })
    expect(all[5]?.data.item).toEqual({
      id: 'ctc_req7f3a011',
      type: 'custom_tool_call',
      call_id: 'call_patch',
      name: 'apply_patch',
      input: '*** Begin Patch\n*** Add File: hello.txt\n+hi\n*** End Patch'
    })
    codexCheck(text)
  })

  it('reads the follow-up custom_tool_call_output as the result of that call', () => {
    const item = frames(text)[5]?.data.item
    const next = openAiResponsesAdapter.client.parseRequest(
      { model: 'm', input: [item, { type: 'custom_tool_call_output', call_id: 'call_patch', output: 'Success. Updated the following files:\nA hello.txt\n' }] },
      { model: 'm', stream: true }
    )
    expect(next.messages).toEqual([
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_patch', name: 'apply_patch', arguments: '*** Begin Patch\n*** Add File: hello.txt\n+hi\n*** End Patch', kind: 'custom' }] },
      {
        role: 'user',
        parts: [
          { type: 'tool_result', callId: 'call_patch', name: 'apply_patch', content: [{ type: 'text', text: 'Success. Updated the following files:\nA hello.txt\n' }], isError: false, custom: true }
        ]
      }
    ])
  })
})

describe('stream encoder: refusals', () => {
  it('writes refusal text as output_text in the same message, which Codex can read', () => {
    const text = encodeStream([
      { type: 'text_delta', text: 'I can help with the rest. ' },
      { type: 'refusal_delta', text: 'Not with that.' },
      { type: 'finish', stop: 'end' }
    ])
    const item = frames(text).find(f => f.event === 'response.output_item.done')?.data.item
    expect(item).toMatchObject({ type: 'message', content: [{ type: 'output_text', text: 'I can help with the rest. Not with that.' }] })
    codexCheck(text)
  })
})
