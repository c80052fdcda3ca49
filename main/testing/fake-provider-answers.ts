import type { Protocol } from '../relay/canonical/request'

/** The two turns of the scripted conversation. */
export type Turn = 'tool' | 'text'

/** One answer: the non-streamed body, and the stream frames (Chat's usage chunk only when asked). */
export interface ProviderAnswer {
  body: unknown
  frames(wantsUsage: boolean): string[]
}

const TOOL = 'get_weather'
const ARGS = ['{"ci', 'ty":"Par', 'is"}']
const ARGS_JSON = ARGS.join('')
const WORDS = ['The', ' weather', ' in', ' Paris', ' is', ' sunny.']
const TEXT = WORDS.join('')
const USAGE = { input: 20, cached: 5, output: 7 }

const data = (value: unknown): string => `data: ${JSON.stringify(value)}\n\n`
const named = (type: string, value: Record<string, unknown>): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...value })}\n\n`

/** The answer of `protocol` for `turn`, in that provider's real shapes. */
export function providerAnswers(protocol: Protocol, turn: Turn, model: string): ProviderAnswer {
  return { 'openai-chat': chat, 'openai-responses': responses, anthropic, gemini }[protocol](turn, model)
}

function chat(turn: Turn, model: string): ProviderAnswer {
  const usage = { prompt_tokens: USAGE.input, completion_tokens: USAGE.output, total_tokens: USAGE.input + USAGE.output, prompt_tokens_details: { cached_tokens: USAGE.cached } }
  const chunk = (delta: Record<string, unknown>, finish: string | null = null): string =>
    data({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1_700_000_000, model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] })
  const toolCall = { id: 'call_w1', type: 'function', function: { name: TOOL, arguments: ARGS_JSON } }
  const message = turn === 'tool' ? { role: 'assistant', content: null, tool_calls: [toolCall], refusal: null } : { role: 'assistant', content: TEXT, refusal: null }
  return {
    body: {
      id: 'chatcmpl-fake',
      object: 'chat.completion',
      created: 1_700_000_000,
      model,
      choices: [{ index: 0, message, finish_reason: turn === 'tool' ? 'tool_calls' : 'stop', logprobs: null }],
      usage
    },
    frames: wantsUsage => [
      chunk({ role: 'assistant', content: '' }),
      ...(turn === 'tool'
        ? [
            chunk({ tool_calls: [{ index: 0, id: 'call_w1', type: 'function', function: { name: TOOL, arguments: '' } }] }),
            ...ARGS.map(a => chunk({ tool_calls: [{ index: 0, function: { arguments: a } }] }))
          ]
        : WORDS.map(w => chunk({ content: w }))),
      chunk({}, turn === 'tool' ? 'tool_calls' : 'stop'),
      ...(wantsUsage ? [data({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1_700_000_000, model, choices: [], usage })] : []),
      'data: [DONE]\n\n'
    ]
  }
}

function responses(turn: Turn, model: string): ProviderAnswer {
  const usage = {
    input_tokens: USAGE.input,
    input_tokens_details: { cached_tokens: USAGE.cached },
    output_tokens: USAGE.output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: USAGE.input + USAGE.output
  }
  const item =
    turn === 'tool'
      ? { type: 'function_call', id: 'fc_w1', call_id: 'call_w1', name: TOOL, arguments: ARGS_JSON, status: 'completed' }
      : { type: 'message', id: 'msg_w1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: TEXT, annotations: [] }] }
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
  const frames = (): string[] => {
    seq = 0
    const head = [ev('response.created', { response: response('in_progress', [], false) }), ev('response.in_progress', { response: response('in_progress', [], false) })]
    if (turn === 'tool') {
      return [
        ...head,
        ev('response.output_item.added', { output_index: 0, item: { ...item, arguments: '', status: 'in_progress' } }),
        ...ARGS.map(delta => ev('response.function_call_arguments.delta', { item_id: 'fc_w1', output_index: 0, delta })),
        ev('response.function_call_arguments.done', { item_id: 'fc_w1', output_index: 0, arguments: ARGS_JSON }),
        ev('response.output_item.done', { output_index: 0, item }),
        ev('response.completed', { response: response('completed', [item], true) })
      ]
    }
    const part = { item_id: 'msg_w1', output_index: 0, content_index: 0 }
    return [
      ...head,
      ev('response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress', content: [] } }),
      ev('response.content_part.added', { ...part, part: { type: 'output_text', text: '', annotations: [] } }),
      ...WORDS.map(delta => ev('response.output_text.delta', { ...part, delta, logprobs: [] })),
      ev('response.output_text.done', { ...part, text: TEXT }),
      ev('response.content_part.done', { ...part, part: { type: 'output_text', text: TEXT, annotations: [] } }),
      ev('response.output_item.done', { output_index: 0, item }),
      ev('response.completed', { response: response('completed', [item], true) })
    ]
  }
  return { body: response('completed', [item], true), frames }
}

function anthropic(turn: Turn, model: string): ProviderAnswer {
  const inputUsage = { input_tokens: USAGE.input - USAGE.cached, cache_creation_input_tokens: 0, cache_read_input_tokens: USAGE.cached }
  const block = turn === 'tool' ? { type: 'tool_use', id: 'toolu_w1', name: TOOL, input: { city: 'Paris' } } : { type: 'text', text: TEXT }
  const stop = turn === 'tool' ? 'tool_use' : 'end_turn'
  return {
    body: { id: 'msg_fake', type: 'message', role: 'assistant', model, content: [block], stop_reason: stop, stop_sequence: null, usage: { ...inputUsage, output_tokens: USAGE.output } },
    frames: () => [
      named('message_start', {
        message: { id: 'msg_fake', type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { ...inputUsage, output_tokens: 1 } }
      }),
      named('ping', {}),
      ...(turn === 'tool'
        ? [
            named('content_block_start', { index: 0, content_block: { type: 'tool_use', id: 'toolu_w1', name: TOOL, input: {} } }),
            named('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: '' } }),
            ...ARGS.map(partial_json => named('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json } }))
          ]
        : [
            named('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
            ...WORDS.map(text => named('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }))
          ]),
      named('content_block_stop', { index: 0 }),
      named('message_delta', { delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: USAGE.output } }),
      named('message_stop', {})
    ]
  }
}

function gemini(turn: Turn, model: string): ProviderAnswer {
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
  // Like Gemini: no call id, arguments whole, and the finish reason in a chunk of its own.
  const call = { functionCall: { name: TOOL, args: { city: 'Paris' } } }
  const sse = (value: unknown): string => `data: ${JSON.stringify(value)}\r\n\r\n`
  return {
    body: chunk(turn === 'tool' ? [call] : [{ text: TEXT }], 'STOP', true),
    frames: () =>
      turn === 'tool'
        ? [sse(chunk([call], null, false)), sse(chunk([{ text: '' }], 'STOP', true))]
        : [...WORDS.slice(0, -1).map(text => sse(chunk([{ text }], null, false))), sse(chunk([{ text: WORDS.at(-1) }], 'STOP', true))]
  }
}
