import { describe, expect, it } from 'vitest'
import type { CanonicalResponse } from '../../canonical/response'
import { splitId } from '../../canonical/opaque'
import { RelayError } from '../../relay-errors'
import { encodeContext, fixtureJson } from './fixtures/fixtures'
import { decodeChatResponse, encodeChatResponse } from './response'

describe('decodeChatResponse', () => {
  it('reads reasoning_content (unsigned), text, parallel tool calls, finish and usage with cache', () => {
    expect(decodeChatResponse(fixtureJson('response-tools.json'))).toEqual({
      id: 'chatcmpl-up-1',
      model: 'deepseek-reasoner',
      parts: [
        { type: 'reasoning', text: 'Need the weather in two cities.' },
        { type: 'text', text: 'Checking both cities.' },
        { type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}', kind: 'function' },
        { type: 'tool_call', id: 'call_2', name: 'get_weather', arguments: '{"city":"Rome"}', kind: 'function' }
      ],
      stop: 'tool_use',
      usage: { inputTotal: 1000, cacheRead: 800, cacheWrite: 150, outputTotal: 120, reasoning: 60 }
    } satisfies CanonicalResponse)
  })

  it('reads refusals, custom calls, Anthropic-style cache counts and maps finish reasons', () => {
    const body = {
      id: 'r',
      model: 'm',
      choices: [
        {
          index: 0,
          finish_reason: 'content_filter',
          message: { role: 'assistant', content: null, refusal: 'No.', tool_calls: [{ id: 'c', type: 'custom', custom: { name: 'apply_patch', input: 'raw' } }] }
        }
      ],
      usage: { prompt_tokens: 10, completion_tokens: 2, cache_read_input_tokens: 4 }
    }
    expect(decodeChatResponse(body)).toMatchObject({
      parts: [
        { type: 'refusal', text: 'No.' },
        { type: 'tool_call', id: 'c', name: 'apply_patch', arguments: 'raw', kind: 'custom' }
      ],
      stop: 'content_filter',
      usage: { inputTotal: 10, cacheRead: 4, outputTotal: 2 }
    })
    const length = decodeChatResponse({ choices: [{ message: { content: 'cut' }, finish_reason: 'length' }] })
    expect([length.stop, length.usage.inputTotal, length.id]).toEqual(['max_tokens', 0, ''])
  })

  it('throws a RelayError for bodies that are not answers', () => {
    expect(() => decodeChatResponse('nope')).toThrow(RelayError)
    expect(() => decodeChatResponse({ choices: [] })).toThrow('no choices')
    const error = (() => {
      try {
        decodeChatResponse({ error: { message: 'quota', code: 'insufficient_quota', status: 429 } })
      } catch (e) {
        return e
      }
      return null
    })()
    expect(error instanceof RelayError && [error.status, error.code, error.message]).toEqual([429, 'insufficient_quota', 'quota'])
  })
})

describe('encodeChatResponse', () => {
  const response: CanonicalResponse = {
    id: 'msg_01',
    model: 'claude-sonnet-4-5',
    parts: [
      { type: 'reasoning', text: 'Thinking…', opaque: { protocol: 'anthropic', value: 'sig' } },
      { type: 'text', text: 'Checking.' },
      { type: 'tool_call', id: 'toolu_1', name: 'read', arguments: '{"p":"a"}', kind: 'function' },
      { type: 'tool_call', id: 'fc_1', name: 'look', arguments: '{}', kind: 'function', opaque: { protocol: 'gemini', value: 'ts==' } },
      { type: 'text', text: 'Done.' }
    ],
    stop: 'tool_use',
    usage: { inputTotal: 1200, cacheRead: 1000, cacheWrite: 0, outputTotal: 80, reasoning: 30 }
  }

  it('writes a chat.completion with content, tool_calls, reasoning_content, finish and usage', () => {
    const body = encodeChatResponse(response, encodeContext(false))
    const gemId = body.choices[0]?.message.tool_calls?.[1]?.id ?? ''
    expect(splitId(gemId)).toEqual({ id: 'fc_1', opaque: { protocol: 'gemini', value: 'ts==' } })
    expect(body).toEqual({
      id: 'chatcmpl-req42',
      object: 'chat.completion',
      created: 1_760_000_000,
      model: 'my-gpt',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Checking.\n\nDone.',
            refusal: null,
            reasoning_content: 'Thinking…',
            tool_calls: [
              { id: 'toolu_1', type: 'function', function: { name: 'read', arguments: '{"p":"a"}' } },
              { id: gemId, type: 'function', function: { name: 'look', arguments: '{}' } }
            ]
          },
          finish_reason: 'tool_calls',
          logprobs: null
        }
      ],
      usage: {
        prompt_tokens: 1200,
        completion_tokens: 80,
        total_tokens: 1280,
        prompt_tokens_details: { cached_tokens: 1000 },
        completion_tokens_details: { reasoning_tokens: 30 }
      }
    })
  })

  it('content is null beside a refusal or calls, "" for an empty answer; custom calls keep their shape', () => {
    const refusal = encodeChatResponse({ ...response, parts: [{ type: 'refusal', text: 'No.' }], stop: 'refusal' }, encodeContext(false))
    expect(refusal.choices[0]).toMatchObject({ message: { content: null, refusal: 'No.' }, finish_reason: 'content_filter' })
    const empty = encodeChatResponse({ ...response, parts: [], stop: 'end' }, encodeContext(false))
    expect(empty.choices[0]?.message).toEqual({ role: 'assistant', content: '', refusal: null })
    const custom = encodeChatResponse({ ...response, parts: [{ type: 'tool_call', id: 'c', name: 'apply_patch', arguments: 'raw', kind: 'custom' }] }, encodeContext(false))
    expect(custom.choices[0]?.message.tool_calls).toEqual([{ id: 'c', type: 'custom', custom: { name: 'apply_patch', input: 'raw' } }])
  })
})
