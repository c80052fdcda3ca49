import type { Protocol } from '../relay/canonical/request'

/**
 * What the fake answers one request with: text, a function call, or (Responses only) a call of
 * a free-form `custom` tool carrying raw input.
 */
export type FakeReply =
  | { kind: 'text'; text: string }
  | { kind: 'call'; name: string; arguments: Record<string, unknown> }
  | { kind: 'custom'; name: string; input: string }

/** One answer: the non-streamed body, and the stream frames (Chat's usage chunk only when asked). */
export interface ProviderAnswer {
  body: unknown
  frames(wantsUsage: boolean): string[]
}

/** Usage of every answer: 20 input tokens of which 5 read from cache, 7 output tokens. */
export const FAKE_USAGE = { input: 20, cached: 5, output: 7 } as const

/** The id each provider gives its call (Gemini gives none and pairs results by name). */
export const FAKE_CALL_ID: Record<Protocol, string | undefined> = {
  'openai-chat': 'call_w1',
  'openai-responses': 'call_w1',
  anthropic: 'toolu_w1',
  gemini: undefined
}

const USAGE = FAKE_USAGE

/** `text` in word-sized pieces, spaces leading, as models stream it. */
const words = (text: string): string[] => text.match(/\s*\S+\s*$|\s*\S+/g) ?? [text]

/** `json` in three fragments, so clients must join argument deltas. */
function thirds(json: string): string[] {
  const size = Math.ceil(json.length / 3)
  return [json.slice(0, size), json.slice(size, 2 * size), json.slice(2 * size)].filter(piece => piece !== '')
}

const data = (value: unknown): string => `data: ${JSON.stringify(value)}\n\n`
const named = (type: string, value: Record<string, unknown>): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...value })}\n\n`

/** The answer of `protocol` carrying `reply`, in that provider's real shapes. */
export function providerAnswers(protocol: Protocol, reply: FakeReply, model: string): ProviderAnswer {
  if (protocol === 'openai-responses') return responses(reply, model)
  if (reply.kind === 'custom') throw new Error(`free-form tool calls exist only in the Responses API, not in ${protocol}`)
  return { 'openai-chat': chat, anthropic, gemini }[protocol](reply, model)
}

type PlainReply = Exclude<FakeReply, { kind: 'custom' }>

function chat(reply: PlainReply, model: string): ProviderAnswer {
  const usage = { prompt_tokens: USAGE.input, completion_tokens: USAGE.output, total_tokens: USAGE.input + USAGE.output, prompt_tokens_details: { cached_tokens: USAGE.cached } }
  const chunk = (delta: Record<string, unknown>, finish: string | null = null): string =>
    data({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1_700_000_000, model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] })
  const id = FAKE_CALL_ID['openai-chat']
  const args = reply.kind === 'call' ? JSON.stringify(reply.arguments) : ''
  const message =
    reply.kind === 'call'
      ? { role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name: reply.name, arguments: args } }], refusal: null }
      : { role: 'assistant', content: reply.text, refusal: null }
  const finish = reply.kind === 'call' ? 'tool_calls' : 'stop'
  return {
    body: { id: 'chatcmpl-fake', object: 'chat.completion', created: 1_700_000_000, model, choices: [{ index: 0, message, finish_reason: finish, logprobs: null }], usage },
    frames: wantsUsage => [
      chunk({ role: 'assistant', content: '' }),
      ...(reply.kind === 'call'
        ? [
            chunk({ tool_calls: [{ index: 0, id, type: 'function', function: { name: reply.name, arguments: '' } }] }),
            ...thirds(args).map(a => chunk({ tool_calls: [{ index: 0, function: { arguments: a } }] }))
          ]
        : words(reply.text).map(w => chunk({ content: w }))),
      chunk({}, finish),
      ...(wantsUsage ? [data({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1_700_000_000, model, choices: [], usage })] : []),
      'data: [DONE]\n\n'
    ]
  }
}

function responses(reply: FakeReply, model: string): ProviderAnswer {
  const usage = {
    input_tokens: USAGE.input,
    input_tokens_details: { cached_tokens: USAGE.cached },
    output_tokens: USAGE.output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: USAGE.input + USAGE.output
  }
  const callId = FAKE_CALL_ID['openai-responses']
  const args = reply.kind === 'call' ? JSON.stringify(reply.arguments) : ''
  const item =
    reply.kind === 'call'
      ? { type: 'function_call', id: 'fc_w1', call_id: callId, name: reply.name, arguments: args, status: 'completed' }
      : reply.kind === 'custom'
        ? { type: 'custom_tool_call', id: 'ctc_w1', call_id: callId, name: reply.name, input: reply.input, status: 'completed' }
        : { type: 'message', id: 'msg_w1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: reply.text, annotations: [] }] }
  const response = (status: string, output: unknown[], withUsage: boolean): Record<string, unknown> => ({
    id: 'resp_fake',
    object: 'response',
    created_at: 1_700_000_000,
    status,
    model,
    output,
    usage: withUsage ? usage : null
  })
  let seq = 0
  const ev = (type: string, value: Record<string, unknown>): string => named(type, { sequence_number: seq++, ...value })
  const itemFrames = (): string[] => {
    const at = { item_id: item.id, output_index: 0 }
    if (reply.kind === 'call') {
      return [
        ev('response.output_item.added', { output_index: 0, item: { ...item, arguments: '', status: 'in_progress' } }),
        ...thirds(args).map(delta => ev('response.function_call_arguments.delta', { ...at, delta })),
        ev('response.function_call_arguments.done', { ...at, arguments: args })
      ]
    }
    if (reply.kind === 'custom') {
      return [
        ev('response.output_item.added', { output_index: 0, item: { ...item, input: '', status: 'in_progress' } }),
        ...thirds(reply.input).map(delta => ev('response.custom_tool_call_input.delta', { ...at, delta })),
        ev('response.custom_tool_call_input.done', { ...at, input: reply.input })
      ]
    }
    const part = { ...at, content_index: 0 }
    return [
      ev('response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress', content: [] } }),
      ev('response.content_part.added', { ...part, part: { type: 'output_text', text: '', annotations: [] } }),
      ...words(reply.text).map(delta => ev('response.output_text.delta', { ...part, delta, logprobs: [] })),
      ev('response.output_text.done', { ...part, text: reply.text }),
      ev('response.content_part.done', { ...part, part: { type: 'output_text', text: reply.text, annotations: [] } })
    ]
  }
  const frames = (): string[] => {
    seq = 0
    return [
      ev('response.created', { response: response('in_progress', [], false) }),
      ev('response.in_progress', { response: response('in_progress', [], false) }),
      ...itemFrames(),
      ev('response.output_item.done', { output_index: 0, item }),
      ev('response.completed', { response: response('completed', [item], true) })
    ]
  }
  return { body: response('completed', [item], true), frames }
}

function anthropic(reply: PlainReply, model: string): ProviderAnswer {
  const inputUsage = { input_tokens: USAGE.input - USAGE.cached, cache_creation_input_tokens: 0, cache_read_input_tokens: USAGE.cached }
  const id = FAKE_CALL_ID.anthropic
  const block = reply.kind === 'call' ? { type: 'tool_use', id, name: reply.name, input: reply.arguments } : { type: 'text', text: reply.text }
  const stop = reply.kind === 'call' ? 'tool_use' : 'end_turn'
  return {
    body: { id: 'msg_fake', type: 'message', role: 'assistant', model, content: [block], stop_reason: stop, stop_sequence: null, usage: { ...inputUsage, output_tokens: USAGE.output } },
    frames: () => [
      named('message_start', {
        message: { id: 'msg_fake', type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { ...inputUsage, output_tokens: 1 } }
      }),
      named('ping', {}),
      ...(reply.kind === 'call'
        ? [
            named('content_block_start', { index: 0, content_block: { type: 'tool_use', id, name: reply.name, input: {} } }),
            named('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: '' } }),
            ...thirds(JSON.stringify(reply.arguments)).map(partial_json => named('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json } }))
          ]
        : [
            named('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
            ...words(reply.text).map(text => named('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }))
          ]),
      named('content_block_stop', { index: 0 }),
      named('message_delta', { delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: USAGE.output } }),
      named('message_stop', {})
    ]
  }
}

function gemini(reply: PlainReply, model: string): ProviderAnswer {
  const usage = (final: boolean): Record<string, unknown> => ({
    promptTokenCount: USAGE.input,
    cachedContentTokenCount: USAGE.cached,
    ...(final ? { candidatesTokenCount: USAGE.output } : {}),
    totalTokenCount: USAGE.input + (final ? USAGE.output : 0)
  })
  const chunk = (parts: unknown[], finish: string | null, final: boolean): Record<string, unknown> => ({
    candidates: [{ content: { role: 'model', parts }, ...(finish ? { finishReason: finish } : {}), index: 0 }],
    usageMetadata: usage(final),
    modelVersion: model,
    responseId: 'gem-fake'
  })
  const sse = (value: unknown): string => `data: ${JSON.stringify(value)}\r\n\r\n`
  if (reply.kind === 'call') {
    // Like Gemini: no call id, arguments whole, and the finish reason in a chunk of its own.
    const call = { functionCall: { name: reply.name, args: reply.arguments } }
    return { body: chunk([call], 'STOP', true), frames: () => [sse(chunk([call], null, false)), sse(chunk([{ text: '' }], 'STOP', true))] }
  }
  const pieces = words(reply.text)
  return {
    body: chunk([{ text: reply.text }], 'STOP', true),
    frames: () => [...pieces.slice(0, -1).map(text => sse(chunk([{ text }], null, false))), sse(chunk([{ text: pieces.at(-1) }], 'STOP', true))]
  }
}
