import { readFileSync } from 'node:fs'
import { expect } from 'vitest'
import { emptyRequest, type CanonicalRequest } from '../../canonical/request'
import type { StreamEvent } from '../../canonical/stream-event'
import { parseSseBlock } from '../../sse'
import type { EncodeContext } from '../protocol-adapter'
import { ResponsesStreamDecoder } from './stream-decoder'
import { ResponsesStreamEncoder } from './stream-encoder'
import { isObject, type JsonObject } from './types'

/** A fixture file's text. */
export function fixtureText(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')
}

/** A JSON fixture as an object. */
export function fixtureObject(name: string): JsonObject {
  const parsed: unknown = JSON.parse(fixtureText(name))
  if (!isObject(parsed)) throw new Error(`${name} is not a JSON object`)
  return parsed
}

/** The SSE events of a stream's text, in order. */
export function sseEvents(text: string): Array<{ event: string | null; data: string }> {
  return text.split(/\n\n/).flatMap(block => parseSseBlock(block) ?? [])
}

/** Each frame's event name and parsed data. */
export function frames(text: string): Array<{ event: string | null; data: JsonObject }> {
  return sseEvents(text).map(e => {
    const data: unknown = JSON.parse(e.data)
    if (!isObject(data)) throw new Error(`frame data is not an object: ${e.data}`)
    return { event: e.event, data }
  })
}

/** Runs an upstream SSE text through the decoder, `end()` included. */
export function decodeStream(text: string): StreamEvent[] {
  const decoder = new ResponsesStreamDecoder()
  return [...sseEvents(text).flatMap(e => decoder.push(e)), ...decoder.end()]
}

/** An encode context for `request` (an empty request when omitted). */
export function encodeContext(request: CanonicalRequest = emptyRequest('codex-model', true)): EncodeContext {
  return { requestId: 'req-7f3a-01', clientModel: request.model, request, createdAt: 1_757_540_514_000, streamFraming: 'sse' }
}

/** The encoder's whole output for `events`; end() is called even after an error, where it must add nothing. */
export function encodeStream(events: StreamEvent[], ctx: EncodeContext = encodeContext()): string {
  const encoder = new ResponsesStreamEncoder(ctx)
  return events.map(e => encoder.push(e)).join('') + encoder.end()
}

const TERMINAL = ['response.completed', 'response.incomplete', 'response.failed']

/**
 * What Codex's SSE consumer (codex-api sse/responses.rs) and openai-node's accumulator need
 * (docs/protocols.md §2.2, §4 case 24). Returns the terminal event's data.
 */
export function codexCheck(text: string): JsonObject {
  const all = frames(text)
  all.forEach((f, i) => {
    expect(f.event).toBe(f.data.type)
    expect(f.data.sequence_number).toBe(i)
  })
  expect(all.slice(0, 2).map(f => f.event)).toEqual(['response.created', 'response.in_progress'])
  const terminals = all.filter(f => TERMINAL.includes(String(f.event)))
  expect(terminals).toHaveLength(1)
  expect(all.at(-1)).toBe(terminals[0])

  const open = new Map<number, string>()
  const done = new Map<number, JsonObject>()
  for (const { event, data } of all) {
    const index = typeof data.output_index === 'number' ? data.output_index : undefined
    if (event === 'response.output_item.added' && index !== undefined && isObject(data.item)) {
      expect(open.has(index) || done.has(index)).toBe(false)
      expect(index).toBe(open.size + done.size)
      open.set(index, String(data.item.id))
    } else if (event === 'response.output_item.done' && index !== undefined && isObject(data.item)) {
      expect(open.get(index)).toBe(data.item.id)
      open.delete(index)
      done.set(index, data.item)
    } else if (index !== undefined) {
      // Every delta / part event targets an item that is open.
      expect(open.get(index)).toBe(data.item_id)
    }
  }
  const terminal = terminals[0]?.data ?? {}
  // A failed turn may leave items open: Codex discards the turn, and half items would only pollute its history.
  if (terminal.type !== 'response.failed') expect(open.size).toBe(0)
  for (const item of done.values()) {
    if (item.type === 'function_call') {
      expect(typeof item.call_id).toBe('string')
      expect(typeof item.name).toBe('string')
      expect(() => JSON.parse(String(item.arguments))).not.toThrow()
    } else if (item.type === 'custom_tool_call') {
      expect(typeof item.call_id).toBe('string')
      expect(typeof item.input).toBe('string')
    } else if (item.type === 'reasoning') {
      expect(Array.isArray(item.summary)).toBe(true)
    } else {
      expect(item).toMatchObject({ type: 'message', role: 'assistant' })
    }
  }
  const response = isObject(terminal.response) ? terminal.response : {}
  expect(typeof response.id).toBe('string')
  if (terminal.type !== 'response.failed') {
    expect(response.output).toEqual([...done.keys()].sort((a, b) => a - b).map(i => done.get(i)))
    const u = isObject(response.usage) ? response.usage : {}
    expect(u).toEqual({
      input_tokens: expect.any(Number),
      input_tokens_details: { cached_tokens: expect.any(Number), cache_write_tokens: expect.any(Number) },
      output_tokens: expect.any(Number),
      output_tokens_details: { reasoning_tokens: expect.any(Number) },
      total_tokens: expect.any(Number)
    })
  }
  return terminal
}
