/**
 * What a client of each protocol reads out of an answer body: text, reasoning, tool calls, the
 * stop, usage in canonical terms and the reasoning artefacts it will carry back. Streams are
 * first assembled into a body (client-streams.ts), as the SDKs do.
 */
import type { Protocol } from '../relay/canonical/request'
import type { StopClass } from './conversion-fixtures'

/** A JSON object. */
export type Json = Record<string, unknown>

/** Whether `value` is a JSON object. */
export const isJson = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)
const field = (value: unknown, key: string): unknown => (isJson(value) ? value[key] : undefined)
/** `value[key]` as an object ({} when it is not one). */
export const obj = (value: unknown, key: string): Json => {
  const found = field(value, key)
  return isJson(found) ? found : {}
}
/** `value[key]` as a list of objects. */
export const objs = (value: unknown, key: string): Json[] => {
  const found = field(value, key)
  return Array.isArray(found) ? found.filter(isJson) : []
}
/** `value[key]` as a string ('' when it is not one). */
export const text = (value: unknown, key: string): string => {
  const found = field(value, key)
  return typeof found === 'string' ? found : ''
}
/** `value[key]` as a number (0 when it is not one). */
export const count = (value: unknown, key: string): number => {
  const found = field(value, key)
  return typeof found === 'number' ? found : 0
}

/** Usage as a client states it, in canonical terms; a field is absent where the format has no place for it. */
export interface ClientUsage {
  input: number
  output: number
  cacheRead: number
  cacheWrite?: number
  reasoning?: number
}

/** Everything a client gets out of one answer. */
export interface ClientAnswer {
  text: string
  reasoning: string
  /** Tool calls with the id the client sees (it may carry an artefact) and parsed arguments. */
  calls: Array<{ id: string; name: string; args: unknown }>
  stop: StopClass
  usage: ClientUsage | null
  /** The in-band error: its message and the format's error type (Anthropic type, OpenAI type or code, Gemini code). */
  error?: { message: string; type: string }
  /** Reasoning artefacts in the client's hands (signatures, encrypted content, thoughtSignatures), in order. */
  artefacts: string[]
}

const args = (raw: string): unknown => (raw === '' ? {} : JSON.parse(raw))

function chatAnswer(body: unknown): ClientAnswer {
  const choice = objs(body, 'choices')[0] ?? {}
  const message = obj(choice, 'message')
  const calls = objs(message, 'tool_calls').map(call => {
    const custom = call.type === 'custom'
    const fn = obj(call, custom ? 'custom' : 'function')
    return { id: text(call, 'id'), name: text(fn, 'name'), args: custom ? text(fn, 'input') : args(text(fn, 'arguments')) }
  })
  const usage = obj(body, 'usage')
  const stops: Record<string, StopClass> = { stop: 'end', tool_calls: 'tool_use', length: 'max_tokens', content_filter: 'content_filter' }
  return {
    text: text(message, 'content'),
    reasoning: text(message, 'reasoning_content'),
    calls,
    stop: stops[text(choice, 'finish_reason')] ?? 'end',
    usage:
      Object.keys(usage).length === 0
        ? null
        : {
            input: count(usage, 'prompt_tokens'),
            output: count(usage, 'completion_tokens'),
            cacheRead: count(obj(usage, 'prompt_tokens_details'), 'cached_tokens'),
            cacheWrite: count(obj(usage, 'prompt_tokens_details'), 'cache_write_tokens'),
            reasoning: count(obj(usage, 'completion_tokens_details'), 'reasoning_tokens')
          },
    artefacts: []
  }
}

function responsesAnswer(body: unknown): ClientAnswer {
  const output = objs(body, 'output')
  const usage = obj(body, 'usage')
  const calls = output.flatMap(item => {
    if (item.type === 'function_call') return [{ id: text(item, 'call_id'), name: text(item, 'name'), args: args(text(item, 'arguments')) }]
    if (item.type === 'custom_tool_call') return [{ id: text(item, 'call_id'), name: text(item, 'name'), args: text(item, 'input') }]
    return []
  })
  const reason = text(obj(body, 'incomplete_details'), 'reason')
  const status = text(body, 'status')
  const error = obj(body, 'error')
  return {
    text: output.flatMap(item => objs(item, 'content').map(part => text(part, 'text'))).join(''),
    reasoning: output.map(item => objs(item, 'summary').map(part => text(part, 'text')).join('\n\n')).join(''),
    calls,
    stop: status === 'failed' ? 'error' : status === 'incomplete' ? (reason === 'content_filter' ? 'content_filter' : 'max_tokens') : calls.length > 0 ? 'tool_use' : 'end',
    usage: {
      input: count(usage, 'input_tokens'),
      output: count(usage, 'output_tokens'),
      cacheRead: count(obj(usage, 'input_tokens_details'), 'cached_tokens'),
      cacheWrite: count(obj(usage, 'input_tokens_details'), 'cache_write_tokens'),
      reasoning: count(obj(usage, 'output_tokens_details'), 'reasoning_tokens')
    },
    ...(status === 'failed' ? { error: { message: text(error, 'message'), type: text(error, 'code') } } : {}),
    artefacts: output.flatMap(item => (item.type === 'reasoning' && text(item, 'encrypted_content') !== '' ? [text(item, 'encrypted_content')] : []))
  }
}

function anthropicAnswer(body: unknown): ClientAnswer {
  const blocks = objs(body, 'content')
  const joined = (type: string, key: string): string => blocks.flatMap(b => (b.type === type ? [text(b, key)] : [])).join('')
  const usage = obj(body, 'usage')
  const stops: Record<string, StopClass> = { tool_use: 'tool_use', max_tokens: 'max_tokens', refusal: 'content_filter', model_context_window_exceeded: 'max_tokens' }
  const cacheRead = count(usage, 'cache_read_input_tokens')
  const cacheWrite = count(usage, 'cache_creation_input_tokens')
  return {
    text: joined('text', 'text'),
    reasoning: joined('thinking', 'thinking'),
    calls: blocks.flatMap(b => (b.type === 'tool_use' ? [{ id: text(b, 'id'), name: text(b, 'name'), args: b.input }] : [])),
    stop: stops[text(body, 'stop_reason')] ?? 'end',
    usage: { input: count(usage, 'input_tokens') + cacheRead + cacheWrite, output: count(usage, 'output_tokens'), cacheRead, cacheWrite },
    artefacts: blocks.flatMap(b => {
      const artefact = b.type === 'thinking' ? text(b, 'signature') : b.type === 'redacted_thinking' ? text(b, 'data') : ''
      return artefact === '' ? [] : [artefact]
    })
  }
}

function geminiAnswer(body: unknown): ClientAnswer {
  const candidate = objs(body, 'candidates')[0] ?? {}
  const parts = objs(obj(candidate, 'content'), 'parts')
  const calls = parts.flatMap(p => {
    const call = obj(p, 'functionCall')
    return isJson(p.functionCall) ? [{ id: text(call, 'id'), name: text(call, 'name'), args: call.args }] : []
  })
  const usage = obj(body, 'usageMetadata')
  const reason = text(candidate, 'finishReason')
  const stop: StopClass =
    reason === 'MAX_TOKENS' ? 'max_tokens' : reason === 'SAFETY' ? 'content_filter' : calls.length > 0 ? 'tool_use' : 'end'
  return {
    text: parts.flatMap(p => (p.thought === true ? [] : [text(p, 'text')])).join(''),
    reasoning: parts.flatMap(p => (p.thought === true ? [text(p, 'text')] : [])).join(''),
    calls,
    stop,
    usage: {
      input: count(usage, 'promptTokenCount'),
      // Gemini keeps thoughts out of candidatesTokenCount; canonical output includes them.
      output: count(usage, 'candidatesTokenCount') + count(usage, 'thoughtsTokenCount'),
      cacheRead: count(usage, 'cachedContentTokenCount'),
      reasoning: count(usage, 'thoughtsTokenCount')
    },
    artefacts: parts.flatMap(p => (text(p, 'thoughtSignature') !== '' && !isJson(p.functionCall) ? [text(p, 'thoughtSignature')] : []))
  }
}

/** What a client of `protocol` reads out of an answer body. */
export function readBody(protocol: Protocol, body: unknown): ClientAnswer {
  switch (protocol) {
    case 'openai-chat':
      return chatAnswer(body)
    case 'openai-responses':
      return responsesAnswer(body)
    case 'anthropic':
      return anthropicAnswer(body)
    case 'gemini':
      return geminiAnswer(body)
  }
}
