/**
 * Client streams assembled the way each SDK assembles them (openai-node's chat accumulator, the
 * Responses terminal event, the Anthropic message accumulator, js-genai's chunk list), into the
 * body shape client-answers.ts reads. The stream's in-band error, if any, is kept beside it.
 */
import type { Protocol } from '../relay/canonical/request'
import { parseSseBlock } from '../relay/sse'
import { count, isJson, obj, objs, readBody, text, type ClientAnswer, type Json } from './client-answers'

/** One SSE frame: its raw text, its `event:` name and its data (parsed when it is JSON). */
export interface Frame {
  raw: string
  event: string | null
  data: string
  json: Json
}

/** The frames of a stream, in order (blocks end at a blank line, `\n\n` or `\r\n\r\n`). */
export function sseFrames(stream: string): Frame[] {
  return stream
    .split(/\r\n\r\n|\n\n/)
    .filter(raw => raw.trim() !== '')
    .map(raw => {
      const event = parseSseBlock(raw)
      const data = event?.data ?? ''
      let json: unknown = null
      try {
        json = JSON.parse(data)
      } catch {
        // `[DONE]` and malformed data: the format checkers judge them.
      }
      return { raw, event: event?.event ?? null, data, json: isJson(json) ? json : {} }
    })
}

/** A stream assembled into a body of its protocol, with the in-band error that ended it. */
export interface Assembled {
  body: Json
  error?: { message: string; type: string }
}

function chat(frames: Frame[]): Assembled {
  let content = ''
  let reasoning = ''
  let finish: unknown = null
  let usage: unknown
  let error: Assembled['error']
  const calls = new Map<number, { id: string; type: string; name: string; input: string }>()
  for (const { data, json } of frames) {
    if (data === '[DONE]') continue
    if (isJson(json.error)) error = { message: text(json.error, 'message'), type: text(json.error, 'type') }
    if (isJson(json.usage)) usage = json.usage
    const choice = objs(json, 'choices')[0]
    if (choice === undefined) continue
    const delta = obj(choice, 'delta')
    content += text(delta, 'content')
    reasoning += text(delta, 'reasoning_content')
    if (choice.finish_reason !== null && choice.finish_reason !== undefined) finish = choice.finish_reason
    for (const fragment of objs(delta, 'tool_calls')) {
      const index = count(fragment, 'index')
      const custom = isJson(fragment.custom)
      const fn = obj(fragment, custom ? 'custom' : 'function')
      const call = calls.get(index) ?? { id: text(fragment, 'id'), type: custom ? 'custom' : 'function', name: text(fn, 'name'), input: '' }
      call.input += text(fn, custom ? 'input' : 'arguments')
      calls.set(index, call)
    }
  }
  const toolCalls = [...calls.values()].map(c =>
    c.type === 'custom'
      ? { id: c.id, type: 'custom', custom: { name: c.name, input: c.input } }
      : { id: c.id, type: 'function', function: { name: c.name, arguments: c.input } }
  )
  const message = { role: 'assistant', content: content === '' ? null : content, ...(reasoning !== '' ? { reasoning_content: reasoning } : {}), ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) }
  const body = { choices: [{ index: 0, message, finish_reason: finish }], ...(usage !== undefined ? { usage } : {}) }
  return error === undefined ? { body } : { body, error }
}

function responses(frames: Frame[]): Assembled {
  const terminal = frames.find(f => ['response.completed', 'response.incomplete', 'response.failed'].includes(f.event ?? ''))
  const body = obj(terminal?.json, 'response')
  const error = obj(body, 'error')
  return terminal?.event === 'response.failed' ? { body, error: { message: text(error, 'message'), type: text(error, 'code') } } : { body }
}

function anthropic(frames: Frame[]): Assembled {
  const blocks: Json[] = []
  const json: string[] = []
  let stop: unknown = null
  let usage: Json = {}
  for (const { event, json: data } of frames) {
    const index = count(data, 'index')
    const delta = obj(data, 'delta')
    const block = blocks[index]
    if (event === 'error') return { body: { content: blocks }, error: { message: text(data.error, 'message'), type: text(data.error, 'type') } }
    if (event === 'message_start') usage = obj(data.message, 'usage')
    if (event === 'content_block_start') blocks[index] = { ...obj(data, 'content_block') }
    if (event === 'content_block_delta' && block !== undefined) {
      if (delta.type === 'text_delta') block.text = text(block, 'text') + text(delta, 'text')
      if (delta.type === 'thinking_delta') block.thinking = text(block, 'thinking') + text(delta, 'thinking')
      if (delta.type === 'signature_delta') block.signature = text(delta, 'signature')
      if (delta.type === 'input_json_delta') json[index] = (json[index] ?? '') + text(delta, 'partial_json')
    }
    if (event === 'content_block_stop' && block?.type === 'tool_use') block.input = JSON.parse(json[index] || '{}')
    if (event === 'message_delta') {
      stop = obj(data, 'delta').stop_reason
      // The SDK merges message_delta's usage over message_start's.
      usage = { ...usage, ...obj(data, 'usage') }
    }
  }
  return { body: { content: blocks, stop_reason: stop, usage } }
}

function gemini(frames: Frame[]): Assembled {
  const parts: Json[] = []
  let finishReason: unknown
  let usage: unknown
  for (const { json } of frames) {
    if (isJson(json.error)) return { body: { candidates: [{ content: { parts } }] }, error: { message: text(json.error, 'message'), type: String(count(json.error, 'code')) } }
    const candidate = objs(json, 'candidates')[0] ?? {}
    parts.push(...objs(obj(candidate, 'content'), 'parts'))
    if (candidate.finishReason !== undefined) finishReason = candidate.finishReason
    if (isJson(json.usageMetadata)) usage = json.usageMetadata
  }
  return { body: { candidates: [{ content: { role: 'model', parts }, finishReason }], usageMetadata: usage } }
}

/** A client stream of `protocol` assembled as its SDK would. */
export function assembleStream(protocol: Protocol, stream: string): Assembled {
  const frames = sseFrames(stream)
  switch (protocol) {
    case 'openai-chat':
      return chat(frames)
    case 'openai-responses':
      return responses(frames)
    case 'anthropic':
      return anthropic(frames)
    case 'gemini':
      return gemini(frames)
  }
}

/**
 * What a client of `protocol` reads out of a stream. Text and reasoning are what the deltas
 * showed (a failed Responses turn has no finished message item to read them from).
 */
export function readStream(protocol: Protocol, stream: string): ClientAnswer {
  const { body, error } = assembleStream(protocol, stream)
  const answer = readBody(protocol, body)
  const frames = sseFrames(stream)
  const shown = (type: string): string => frames.flatMap(f => (f.event === type ? [text(f.json, 'delta')] : [])).join('')
  const streamed = protocol === 'openai-responses' ? { text: shown('response.output_text.delta'), reasoning: shown('response.reasoning_summary_text.delta') } : {}
  return error === undefined ? { ...answer, ...streamed } : { ...answer, ...streamed, stop: 'error', usage: null, error }
}
