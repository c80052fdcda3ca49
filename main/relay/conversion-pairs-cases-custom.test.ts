/**
 * docs/protocols.md §4 #23 as pair tests: Codex's free-form `apply_patch` tool offered to a Chat,
 * Anthropic or Gemini upstream (as a function taking `{input}`); the upstream's call comes back
 * to Codex as a `custom_tool_call` with the raw patch, and Codex's `custom_tool_call_output`
 * goes back to the upstream as the result of that very call.
 */
import { describe, expect, it } from 'vitest'
import type { Protocol, ToolDefinition } from './canonical/request'
import { followUp } from '../testing/client-follow-up'
import { assembleStream, readStream, sseFrames } from '../testing/client-streams'
import { adapters, buildUpstream, CLIENT_MODEL, clientRequest, convertStream, randomPieces } from '../testing/conversion-relay'
import { checkUpstreamRequest, upstreamCallIds } from '../testing/upstream-request-checks'

const PATCH = '*** Begin Patch\n*** Add File: hello.txt\n+hi ☀️\n*** End Patch\n'
const WRAPPED = JSON.stringify({ input: PATCH })
const APPLY_PATCH: ToolDefinition = { name: 'apply_patch', kind: 'custom', parameters: {}, customFormat: { type: 'grammar', syntax: 'lark', definition: 'start: /.+/' } }

const frame = (event: string | null, data: unknown): string => `${event === null ? '' : `event: ${event}\n`}data: ${JSON.stringify(data)}\n\n`
const chatChunk = (delta: unknown, finish: string | null = null): string =>
  frame(null, { id: 'chatcmpl-p', object: 'chat.completion.chunk', created: 1, model: 'qwen3-coder', choices: [{ index: 0, delta, finish_reason: finish }] })
const half = WRAPPED.length >> 1

/** The upstream calling apply_patch, in each protocol's stream, with the call id it minted. */
const CALLS: ReadonlyArray<{ upstream: Protocol; id: string; sse: string }> = [
  {
    upstream: 'openai-chat',
    id: 'call_p1',
    sse:
      chatChunk({ role: 'assistant', tool_calls: [{ index: 0, id: 'call_p1', type: 'function', function: { name: 'apply_patch', arguments: '' } }] }) +
      chatChunk({ tool_calls: [{ index: 0, function: { arguments: WRAPPED.slice(0, half) } }] }) +
      chatChunk({ tool_calls: [{ index: 0, function: { arguments: WRAPPED.slice(half) } }] }) +
      chatChunk({}, 'tool_calls') +
      'data: [DONE]\n\n'
  },
  {
    upstream: 'anthropic',
    id: 'toolu_p1',
    sse: [
      frame('message_start', { type: 'message_start', message: { id: 'msg_p', type: 'message', role: 'assistant', model: 'claude', content: [], usage: { input_tokens: 9, output_tokens: 1 } } }),
      frame('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_p1', name: 'apply_patch', input: {} } }),
      frame('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: WRAPPED.slice(0, half) } }),
      frame('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: WRAPPED.slice(half) } }),
      frame('content_block_stop', { type: 'content_block_stop', index: 0 }),
      frame('message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 30 } }),
      frame('message_stop', { type: 'message_stop' })
    ].join('')
  },
  {
    upstream: 'gemini',
    id: 'fc_p1',
    sse: frame(null, {
      candidates: [{ content: { role: 'model', parts: [{ functionCall: { id: 'fc_p1', name: 'apply_patch', args: { input: PATCH } } }] }, finishReason: 'STOP', index: 0 }],
      modelVersion: 'gemini-2.5-pro',
      responseId: 'g-p1'
    })
  }
]

describe('§4 #23: Codex apply_patch through a function-only upstream', () => {
  it.each(CALLS)('a $upstream upstream call reaches Codex as a custom_tool_call with the raw patch, and its output goes back paired', ({ upstream, id, sse }) => {
    const request = clientRequest('openai-responses', { tools: [APPLY_PATCH] })
    const offered = buildUpstream(upstream, request)
    checkUpstreamRequest(upstream, offered)
    expect(JSON.stringify(offered)).toContain('"apply_patch"')

    const out = convertStream(upstream, 'openai-responses', sse, request, randomPieces(3, 7))
    const frames = sseFrames(out)
    expect(frames.filter(f => f.event === 'response.custom_tool_call_input.delta').map(f => f.json.delta).join('')).toBe(PATCH)
    expect(frames.some(f => f.event?.startsWith('response.function_call') === true)).toBe(false)
    const answer = readStream('openai-responses', out)
    expect(answer.calls).toEqual([{ id, name: 'apply_patch', args: PATCH }])

    const replay = followUp('openai-responses', assembleStream('openai-responses', out).body)
    const next = adapters['openai-responses'].client.parseRequest(replay, { model: CLIENT_MODEL, stream: false })
    const body = buildUpstream(upstream, { ...next, tools: [APPLY_PATCH] })
    checkUpstreamRequest(upstream, body)
    expect(upstreamCallIds(upstream, body)).toEqual([id])
    // The upstream sees its own call again, arguments wrapped as it sent them.
    expect(JSON.stringify(body)).toContain(upstream === 'openai-chat' ? JSON.stringify(WRAPPED) : JSON.stringify({ input: PATCH }).slice(1, -1))
  })
})
