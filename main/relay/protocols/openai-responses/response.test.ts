import { describe, expect, it } from 'vitest'
import type { CanonicalResponse } from '../../canonical/response'
import { RelayError } from '../../relay-errors'
import { openAiResponsesAdapter } from './index'
import { encodeContext, fixtureObject } from './test-helpers'

const { decodeResponse } = openAiResponsesAdapter.upstream
const { encodeResponse } = openAiResponsesAdapter.client

describe('decodeResponse', () => {
  it('reads reasoning, text, function calls and cached usage from an OpenAI response', () => {
    expect(decodeResponse(fixtureObject('upstream-response.json'))).toEqual({
      id: 'resp_68c1f0a2b9d48190a1',
      model: 'gpt-5-2025-08-07',
      parts: [
        {
          type: 'reasoning',
          text: '**Planning**\n\nCheck the weather.\n\n**Two cities**',
          opaque: { protocol: 'openai-responses', value: 'gAAAAABowPCj-ENCRYPTED-0123456789abcdef==' },
          id: 'rs_68c1f0a3c2e08190b2'
        },
        { type: 'text', text: 'Let me check both cities.' },
        { type: 'tool_call', id: 'call_Q1paris', name: 'get_weather', arguments: '{"city":"Paris"}', kind: 'function' },
        { type: 'tool_call', id: 'call_Q2tokyo', name: 'get_weather', arguments: '{"city":"Tokyo"}', kind: 'function' }
      ],
      stop: 'tool_use',
      usage: { inputTotal: 1523, cacheRead: 1280, cacheWrite: 0, outputTotal: 245, reasoning: 192 }
    })
  })

  it('reads stop reasons, custom calls and refusals', () => {
    const decoded = decodeResponse({
      id: 'r',
      model: 'm',
      status: 'incomplete',
      incomplete_details: { reason: 'content_filter' },
      output: [
        { type: 'message', content: [{ type: 'refusal', refusal: 'No.' }] },
        { type: 'web_search_call', id: 'ws_1', status: 'completed' }
      ]
    })
    expect(decoded.stop).toBe('content_filter')
    expect(decoded.parts).toEqual([{ type: 'refusal', text: 'No.' }])
    expect(decoded.usage).toEqual({ inputTotal: 0, cacheRead: 0, cacheWrite: 0, outputTotal: 0, reasoning: 0 })
    expect(decodeResponse({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output: [] }).stop).toBe('max_tokens')
    expect(decodeResponse({ status: 'failed', output: [] }).stop).toBe('error')
    const custom = decodeResponse({ status: 'completed', output: [{ type: 'custom_tool_call', call_id: 'c1', name: 'apply_patch', input: '*** Begin Patch' }] })
    expect(custom.parts).toEqual([{ type: 'tool_call', id: 'c1', name: 'apply_patch', arguments: '*** Begin Patch', kind: 'custom' }])
    expect(custom.stop).toBe('tool_use')
    expect(decodeResponse({ status: 'completed', output: [{ type: 'message', content: [{ type: 'output_text', text: 'ok' }] }] }).stop).toBe('end')
  })

  it('rejects a body that is not an object', () => {
    expect(() => decodeResponse('oops')).toThrow(RelayError)
  })
})

describe('encodeResponse', () => {
  const answer: CanonicalResponse = {
    id: 'msg_up',
    model: 'gemini-2.5-pro',
    parts: [
      { type: 'reasoning', text: 'Thinking.', opaque: { protocol: 'gemini', value: 'thought-sig' } },
      { type: 'text', text: 'Here is the patch.' },
      { type: 'refusal', text: 'Not the secrets, though.' },
      { type: 'tool_call', id: 'call_1', name: 'apply_patch', arguments: '*** Begin Patch\n*** End Patch', kind: 'custom' },
      { type: 'tool_call', id: 'call_2', name: 'shell', arguments: '{"command":["ls"]}', kind: 'function', opaque: { protocol: 'gemini', value: 'fc-sig' } }
    ],
    stop: 'tool_use',
    usage: { inputTotal: 100, cacheRead: 40, cacheWrite: 0, outputTotal: 20, reasoning: 5 }
  }

  it('writes a response object with items in order, artefacts sealed, usage complete', () => {
    const body = encodeResponse(answer, encodeContext())
    expect(body).toMatchObject({
      id: 'resp_req7f3a01',
      object: 'response',
      created_at: 1_757_540_514,
      status: 'completed',
      error: null,
      incomplete_details: null,
      model: 'codex-model',
      usage: {
        input_tokens: 100,
        input_tokens_details: { cached_tokens: 40, cache_write_tokens: 0 },
        output_tokens: 20,
        output_tokens_details: { reasoning_tokens: 5 },
        total_tokens: 120
      }
    })
    const output = (body as { output: unknown[] }).output
    expect(output).toEqual([
      { id: 'rs_req7f3a011', type: 'reasoning', summary: [{ type: 'summary_text', text: 'Thinking.' }], encrypted_content: 'cuttle1.gemini.thought-sig' },
      {
        id: 'msg_req7f3a012',
        type: 'message',
        status: 'completed',
        role: 'assistant',
        content: [
          { type: 'output_text', text: 'Here is the patch.', annotations: [], logprobs: [] },
          { type: 'output_text', text: 'Not the secrets, though.', annotations: [], logprobs: [] }
        ]
      },
      { id: 'ctc_req7f3a013', type: 'custom_tool_call', call_id: 'call_1', name: 'apply_patch', input: '*** Begin Patch\n*** End Patch' },
      {
        id: 'fc_req7f3a014',
        type: 'function_call',
        status: 'completed',
        call_id: expect.stringMatching(/^call_2__cx1_/),
        name: 'shell',
        arguments: '{"command":["ls"]}'
      }
    ])
  })

  it('marks max_tokens as incomplete and an upstream failure as failed', () => {
    expect(encodeResponse({ ...answer, parts: [], stop: 'max_tokens' }, encodeContext())).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } })
    expect(encodeResponse({ ...answer, parts: [], stop: 'error' }, encodeContext())).toMatchObject({ status: 'failed', error: { code: 'server_error' } })
  })
})
