import type { Opaque } from '../../canonical/opaque'
import type { StreamDecoder, StreamEvent } from '../../canonical/stream-event'
import { relayErrors } from '../../relay-errors'
import { errorFromEvent } from './errors'
import { isObject, parseJson, str, type JsonObject } from './json'
import { stopFromAnthropic } from './stop'
import { ANTHROPIC } from './types'
import { countsToUsage, mergeCounts, NO_COUNTS, type UsageCounts } from './usage'

/** What an open upstream block is, so its deltas and its stop turn into the right events. */
type Block = { kind: 'text' } | { kind: 'thinking'; signature: string } | { kind: 'tool'; call: number } | { kind: 'other' }

/** Anthropic SSE from an upstream → canonical events (docs/protocols.md §2.3). */
export function anthropicStreamDecoder(): StreamDecoder {
  const blocks = new Map<number, Block>()
  let counts: UsageCounts = NO_COUNTS
  let calls = 0
  let started = false
  let content = false
  let finished = false
  let failed = false

  const usage = (raw: unknown): StreamEvent[] => {
    if (!isObject(raw)) return []
    counts = mergeCounts(counts, raw)
    return [{ type: 'usage', usage: countsToUsage(counts) }]
  }

  const blockStart = (index: number, block: JsonObject): StreamEvent[] => {
    switch (block.type) {
      case 'text': {
        blocks.set(index, { kind: 'text' })
        const text = str(block.text) ?? ''
        return text === '' ? [] : [{ type: 'text_delta', text }]
      }
      case 'thinking': {
        blocks.set(index, { kind: 'thinking', signature: str(block.signature) ?? '' })
        const text = str(block.thinking) ?? ''
        return text === '' ? [] : [{ type: 'reasoning_delta', text }]
      }
      case 'redacted_thinking':
        blocks.set(index, { kind: 'other' })
        return [{ type: 'reasoning_redacted', opaque: { protocol: ANTHROPIC, value: str(block.data) ?? '', redacted: true } }]
      case 'tool_use': {
        // The canonical index counts tool calls, not Anthropic's content blocks (§3.4 B).
        const call = calls++
        blocks.set(index, { kind: 'tool', call })
        const start: StreamEvent = { type: 'tool_call_start', index: call, id: str(block.id) ?? '', name: str(block.name) ?? '', kind: 'function' }
        const input = isObject(block.input) && Object.keys(block.input).length > 0 ? JSON.stringify(block.input) : ''
        return input === '' ? [start] : [start, { type: 'tool_call_delta', index: call, arguments: input }]
      }
      default:
        // server_tool_use and *_tool_result blocks run on Anthropic's side; other clients cannot replay them.
        blocks.set(index, { kind: 'other' })
        return []
    }
  }

  const blockDelta = (block: Block | undefined, delta: JsonObject): StreamEvent[] => {
    const text = str(delta.text) ?? str(delta.thinking) ?? str(delta.partial_json) ?? ''
    if (delta.type === 'signature_delta' && block?.kind === 'thinking') block.signature = str(delta.signature) ?? block.signature
    if (text === '') return []
    if (delta.type === 'text_delta' && block?.kind === 'text') return [{ type: 'text_delta', text }]
    if (delta.type === 'thinking_delta' && block?.kind === 'thinking') return [{ type: 'reasoning_delta', text }]
    if (delta.type === 'input_json_delta' && block?.kind === 'tool') return [{ type: 'tool_call_delta', index: block.call, arguments: text }]
    return []
  }

  const blockStop = (index: number): StreamEvent[] => {
    const block = blocks.get(index)
    blocks.delete(index)
    if (block?.kind !== 'thinking') return []
    const opaque: Opaque | undefined = block.signature !== '' ? { protocol: ANTHROPIC, value: block.signature } : undefined
    return [opaque ? { type: 'reasoning_done', opaque } : { type: 'reasoning_done' }]
  }

  const handle = (type: unknown, data: JsonObject): StreamEvent[] => {
    const index = typeof data.index === 'number' ? data.index : -1
    switch (type) {
      case 'message_start': {
        const message = isObject(data.message) ? data.message : {}
        if (started) return usage(message.usage)
        started = true
        return [{ type: 'start', id: str(message.id) ?? '', model: str(message.model) ?? '' }, ...usage(message.usage)]
      }
      case 'content_block_start':
        content = true
        return blockStart(index, isObject(data.content_block) ? data.content_block : {})
      case 'content_block_delta':
        return blockDelta(blocks.get(index), isObject(data.delta) ? data.delta : {})
      case 'content_block_stop':
        return blockStop(index)
      case 'message_delta': {
        const delta = isObject(data.delta) ? data.delta : {}
        const events = usage(data.usage)
        if (finished || delta.stop_reason === null || delta.stop_reason === undefined) return events
        finished = true
        const stopSequence = str(delta.stop_sequence)
        const stop = stopFromAnthropic(delta.stop_reason)
        return [...events, stop === 'stop_sequence' && stopSequence !== undefined ? { type: 'finish', stop, stopSequence } : { type: 'finish', stop }]
      }
      case 'error':
        failed = true
        return [{ type: 'error', error: errorFromEvent(data) }]
      default:
        // ping, message_stop and event types newer than this adapter.
        return []
    }
  }

  return {
    push: ({ event, data }) => {
      if (failed) return []
      const parsed = parseJson(data)
      if (!isObject(parsed)) return []
      const type = event === 'error' ? 'error' : (parsed.type ?? event)
      const events = handle(type, parsed)
      if (started || type === 'error' || events.length === 0) return events
      // Content before message_start: the canonical stream still opens with `start`.
      started = true
      return [{ type: 'start', id: '', model: '' }, ...events]
    },
    end: () => {
      if (failed || finished) return []
      if (!content) return [{ type: 'error', error: relayErrors.upstreamFailed(502, 'The Anthropic stream ended before any content.') }]
      finished = true
      const open = [...blocks.keys()].flatMap(blockStop)
      return [...open, { type: 'finish', stop: 'end' }]
    }
  }
}
