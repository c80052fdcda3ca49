/** Helpers shared by this folder's tests: run encoders / decoders over fixtures and read frames back. */
import { readFileSync } from 'node:fs'
import { emptyRequest } from '../../canonical/request'
import type { StreamEvent } from '../../canonical/stream-event'
import { parseSseBlock } from '../../sse'
import type { EncodeContext } from '../protocol-adapter'
import { isObject, parseJson, type JsonObject } from './json'
import { anthropicStreamDecoder } from './stream-decoder'
import { anthropicStreamEncoder } from './stream-encoder'

/** A fixture file of this folder as text. */
export function fixtureText(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')
}

/** A JSON fixture of this folder. */
export function fixtureJson(name: string): JsonObject {
  const parsed = parseJson(fixtureText(name))
  if (!isObject(parsed)) throw new Error(`fixture ${name} is not a JSON object`)
  return parsed
}

/** An encode context answering a client that asked for `claude-sonnet-4-5`. */
export function encodeContext(): EncodeContext {
  return { requestId: 'req_0a1b2c', clientModel: 'claude-sonnet-4-5', request: emptyRequest('claude-sonnet-4-5', true), createdAt: 0, streamFraming: 'sse' }
}

/** The whole client stream for `events` (end() is not called after an error, as the relay does). */
export function encodeEvents(events: StreamEvent[], ctx: EncodeContext = encodeContext()): string {
  const encoder = anthropicStreamEncoder(ctx)
  const text = events.map(event => encoder.push(event)).join('')
  return events.at(-1)?.type === 'error' ? text : text + encoder.end()
}

/** One SSE frame read back: its `event:` name and its parsed data. */
export interface Frame {
  event: string | null
  data: JsonObject
}

/** Splits SSE text into frames (every data line here is one JSON object). */
export function framesOf(text: string): Frame[] {
  return text
    .split('\n\n')
    .filter(block => block.trim() !== '')
    .map(block => {
      const event = parseSseBlock(block)
      const data = parseJson(event?.data ?? '')
      return { event: event?.event ?? null, data: isObject(data) ? data : {} }
    })
}

/** Runs the upstream decoder over SSE text, including its end(). */
export function decodeSse(text: string): StreamEvent[] {
  const decoder = anthropicStreamDecoder()
  const events = text
    .split('\n\n')
    .filter(block => block.trim() !== '')
    .flatMap(block => {
      const event = parseSseBlock(block)
      return event ? decoder.push(event) : []
    })
  return [...events, ...decoder.end()]
}
