/**
 * The format rules a client stream of each protocol must follow (docs/protocols.md §2, §7
 * invariants 1 and 2): exactly one terminator or one in-band error, never both, never neither;
 * Anthropic's named frames and strictly sequential blocks; the Codex consumer's rules for
 * Responses; Chat's `[DONE]` and optional usage chunk; Gemini's single-line `data:` chunks.
 */
import { expect } from 'vitest'
import type { Protocol } from '../relay/canonical/request'
import { codexCheck } from '../relay/protocols/openai-responses/test-helpers'
import { isJson, obj, objs, text, type Json } from './client-answers'
import { sseFrames, type Frame } from './client-streams'

/** What the client asked that its stream must reflect. */
export interface StreamFacts {
  clientModel: string
  /** Chat only: the client asked for `stream_options.include_usage`. */
  streamUsage: boolean
}

function checkChat(frames: Frame[], facts: StreamFacts): void {
  for (const frame of frames) {
    expect(frame.event).toBeNull()
    expect(frame.raw).toMatch(/^data: [^\n]+$/)
  }
  const error = frames.findIndex(f => isJson(f.json.error))
  const done = frames.filter(f => f.data === '[DONE]')
  if (error !== -1) {
    // An error chunk ends the stream: the SDK throws on it, and nothing may say the turn succeeded.
    expect(error).toBe(frames.length - 1)
    expect(done).toHaveLength(0)
    expect(frames.some(f => objs(f.json, 'choices').some(c => c.finish_reason !== null && c.finish_reason !== undefined))).toBe(false)
    return
  }
  expect(done).toHaveLength(1)
  expect(frames.at(-1)?.data).toBe('[DONE]')
  const chunks = frames.slice(0, -1).map(f => f.json)
  expect(new Set(chunks.map(c => c.id)).size).toBe(1)
  for (const chunk of chunks) expect(chunk).toMatchObject({ object: 'chat.completion.chunk', model: facts.clientModel })
  expect(obj(objs(chunks[0], 'choices')[0], 'delta').role).toBe('assistant')
  const finishes = chunks.filter(c => objs(c, 'choices').some(choice => choice.finish_reason !== null))
  expect(finishes).toHaveLength(1)
  // Usage comes as one `choices: []` chunk right before [DONE], and only when asked (§4 case 27).
  const usageChunks = chunks.filter(c => Array.isArray(c.choices) && c.choices.length === 0)
  const withUsage = chunks.filter(c => isJson(c.usage))
  if (facts.streamUsage) {
    expect(usageChunks).toHaveLength(1)
    expect(usageChunks[0]).toBe(chunks.at(-1))
    expect(withUsage).toEqual(usageChunks)
  } else {
    expect(usageChunks).toHaveLength(0)
    expect(withUsage).toHaveLength(0)
  }
  const calls = new Map<number, string>()
  for (const chunk of chunks) {
    for (const fragment of objs(obj(objs(chunk, 'choices')[0], 'delta'), 'tool_calls')) {
      const index = typeof fragment.index === 'number' ? fragment.index : -1
      const fn = obj(fragment, fragment.type === 'custom' || isJson(fragment.custom) ? 'custom' : 'function')
      if (!calls.has(index)) {
        // The first fragment of a call names it; later ones only add arguments (§2.1).
        expect(text(fragment, 'id')).not.toBe('')
        expect(text(fn, 'name')).not.toBe('')
        calls.set(index, '')
      } else expect(fragment.id).toBeUndefined()
      calls.set(index, (calls.get(index) ?? '') + text(fn, 'arguments'))
    }
  }
  for (const args of calls.values()) if (args !== '') expect(isJson(JSON.parse(args))).toBe(true)
}

function checkResponses(stream: string, frames: Frame[], facts: StreamFacts): void {
  const terminal = codexCheck(stream)
  expect(obj(terminal, 'response').model).toBe(facts.clientModel)
  expect(obj(frames[0]?.json, 'response').model).toBe(facts.clientModel)
  // Codex records items from output_item.done only: each message item holds exactly what its deltas showed.
  for (const done of frames.filter(f => f.event === 'response.output_item.done' && obj(f.json, 'item').type === 'message')) {
    const id = text(obj(done.json, 'item'), 'id')
    const shown = frames.flatMap(f => (f.event === 'response.output_text.delta' && f.json.item_id === id ? [text(f.json, 'delta')] : [])).join('')
    expect(objs(obj(done.json, 'item'), 'content').map(p => text(p, 'text')).join('')).toBe(shown)
  }
  expect(frames.some(f => f.event === 'error')).toBe(false)
}

const DELTA_BLOCK: Record<string, string> = { text_delta: 'text', thinking_delta: 'thinking', signature_delta: 'thinking', input_json_delta: 'tool_use' }

function checkAnthropic(frames: Frame[], facts: StreamFacts): void {
  for (const frame of frames) expect(frame.event).toBe(frame.json.type)
  expect(frames[0]?.event).toBe('message_start')
  expect(obj(frames[0]?.json, 'message')).toMatchObject({ type: 'message', role: 'assistant', model: facts.clientModel })
  const failed = frames.at(-1)?.event === 'error'
  if (failed) {
    // After `event: error` the SDK throws; no message_delta / message_stop may claim success.
    expect(frames.at(-1)?.json).toEqual({ type: 'error', error: { type: expect.any(String), message: expect.any(String) } })
    expect(frames.filter(f => f.event === 'error')).toHaveLength(1)
    expect(frames.some(f => f.event === 'message_stop' || f.event === 'message_delta')).toBe(false)
  } else {
    expect(frames.at(-1)?.event).toBe('message_stop')
    expect(frames.filter(f => f.event === 'message_stop')).toHaveLength(1)
    const deltas = frames.filter(f => f.event === 'message_delta')
    expect(deltas).toHaveLength(1)
    expect(frames.at(-2)).toBe(deltas[0])
    expect(text(obj(deltas[0]?.json, 'delta'), 'stop_reason')).not.toBe('')
    expect(obj(deltas[0]?.json, 'usage')).toEqual({
      output_tokens: expect.any(Number),
      input_tokens: expect.any(Number),
      cache_read_input_tokens: expect.any(Number),
      cache_creation_input_tokens: expect.any(Number)
    })
  }
  let open: { index: number; type: string; json: string; signed: boolean } | null = null
  let next = 0
  for (const { event, json } of frames) {
    if (event === 'content_block_start') {
      expect(open).toBeNull()
      expect(json.index).toBe(next++)
      const block = obj(json, 'content_block')
      if (block.type === 'tool_use') expect(block).toEqual({ type: 'tool_use', id: expect.stringMatching(/^[a-zA-Z0-9_-]+$/), name: expect.any(String), input: {} })
      open = { index: Number(json.index), type: text(block, 'type'), json: '', signed: false }
    } else if (event === 'content_block_delta') {
      const delta = obj(json, 'delta')
      expect(json.index).toBe(open?.index)
      // Thinking and signature deltas only on thinking blocks; nothing after the signature.
      expect(open?.type).toBe(DELTA_BLOCK[text(delta, 'type')])
      expect(open?.signed).toBe(false)
      if (open !== null && delta.type === 'signature_delta') open.signed = true
      if (open !== null && delta.type === 'input_json_delta') open.json += text(delta, 'partial_json')
    } else if (event === 'content_block_stop') {
      expect(json.index).toBe(open?.index)
      if (open?.type === 'tool_use') expect(isJson(JSON.parse(open.json || '{}'))).toBe(true)
      open = null
    } else if (event === 'message_delta' || event === 'message_stop') {
      expect(open).toBeNull()
    }
  }
}

function checkGemini(stream: string, frames: Frame[], facts: StreamFacts): void {
  // js-genai: every event one `data:` line of one JSON document, blank-line terminated, no names, no [DONE].
  expect(stream).toMatch(/\r?\n\r?\n$/)
  for (const frame of frames) {
    expect(frame.raw).toMatch(/^data: \{[^\r\n]*\}$/)
    expect(frame.event).toBeNull()
  }
  const last = frames.at(-1)?.json ?? {}
  const finishing = frames.filter(f => objs(f.json, 'candidates').some(c => c.finishReason !== undefined))
  if (isJson(last.error)) {
    expect(last.error).toEqual({ code: expect.any(Number), message: expect.any(String), status: expect.any(String) })
    expect(Number(last.error.code)).toBeGreaterThanOrEqual(400)
    expect(frames.filter(f => isJson(f.json.error))).toHaveLength(1)
    expect(finishing).toHaveLength(0)
    return
  }
  expect(finishing).toHaveLength(1)
  expect(finishing[0]?.json).toBe(last)
  expect(last.usageMetadata).toEqual(expect.objectContaining({ promptTokenCount: expect.any(Number), totalTokenCount: expect.any(Number) }))
  for (const { json } of frames) {
    expect(json.modelVersion).toBe(facts.clientModel)
    for (const part of objs(obj(objs(json, 'candidates')[0], 'content'), 'parts')) {
      if (part.functionCall !== undefined) expect(part.functionCall).toEqual(expect.objectContaining({ name: expect.stringMatching(/./), args: expect.any(Object) }))
    }
  }
}

/** Checks a client stream of `protocol` against its format's rules. */
export function checkClientStream(protocol: Protocol, stream: string, facts: StreamFacts): void {
  const frames = sseFrames(stream)
  expect(frames.length).toBeGreaterThan(0)
  switch (protocol) {
    case 'openai-chat':
      return checkChat(frames, facts)
    case 'openai-responses':
      return checkResponses(stream, frames, facts)
    case 'anthropic':
      return checkAnthropic(frames, facts)
    case 'gemini':
      return checkGemini(stream, frames, facts)
  }
}

/** Checks a client body of `protocol`: its required fields, the echoed model, usage complete. */
export function checkClientBody(protocol: Protocol, body: unknown, clientModel: string): void {
  const json: Json = isJson(body) ? body : {}
  switch (protocol) {
    case 'openai-chat':
      expect(json).toMatchObject({ object: 'chat.completion', model: clientModel, usage: { prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number), total_tokens: expect.any(Number) } })
      expect(objs(json, 'choices')[0]).toMatchObject({ index: 0, message: { role: 'assistant' }, finish_reason: expect.any(String) })
      return
    case 'openai-responses':
      expect(json).toMatchObject({ object: 'response', model: clientModel, status: expect.stringMatching(/^(completed|incomplete)$/) })
      for (const item of objs(json, 'output')) expect(text(item, 'id')).not.toBe('')
      expect(json.usage).toEqual({
        input_tokens: expect.any(Number),
        input_tokens_details: { cached_tokens: expect.any(Number), cache_write_tokens: expect.any(Number) },
        output_tokens: expect.any(Number),
        output_tokens_details: { reasoning_tokens: expect.any(Number) },
        total_tokens: expect.any(Number)
      })
      return
    case 'anthropic':
      expect(json).toMatchObject({ type: 'message', role: 'assistant', model: clientModel, stop_reason: expect.any(String) })
      for (const block of objs(json, 'content')) if (block.type === 'text') expect(text(block, 'text').trim()).not.toBe('')
      return
    case 'gemini': {
      expect(json.modelVersion).toBe(clientModel)
      expect(objs(json, 'candidates')[0]).toMatchObject({ content: { role: 'model' }, finishReason: expect.any(String), index: 0 })
      const usage = obj(json, 'usageMetadata')
      expect(usage.totalTokenCount).toBe(Number(usage.promptTokenCount) + Number(usage.candidatesTokenCount) + Number(usage.thoughtsTokenCount ?? 0))
    }
  }
}
