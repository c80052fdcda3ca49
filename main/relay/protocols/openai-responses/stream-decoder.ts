import type { StreamDecoder, StreamEvent } from '../../canonical/stream-event'
import { relayErrors } from '../../relay-errors'
import { upstreamStreamError } from './errors'
import { reasoningOpaque, reasoningText, stopOf } from './response'
import { isObject, num, objects, parseJson, str, type JsonObject } from './types'
import { usageFromResponses } from './usage'

interface ToolState {
  index: number
  sawDelta: boolean
}

interface ReasoningState {
  /** Summaries and raw reasoning text both describe the item; only the first kind seen is passed on. */
  source: 'summary' | 'content' | null
  part: number
  sawText: boolean
}

/**
 * Responses SSE from an upstream → canonical events (docs/protocols.md §2.2). Items are tracked
 * by output_index; text or arguments that only arrive in `output_item.done` (no deltas) are
 * emitted once from there, never twice.
 */
export class ResponsesStreamDecoder implements StreamDecoder {
  private started = false
  private closed = false
  private sawContent = false
  private sawToolCall = false
  private toolCount = 0
  private readonly tools = new Map<string, ToolState>()
  private readonly texts = new Set<string>()
  private readonly reasoning = new Map<string, ReasoningState>()
  /** Item id → output_index key, for servers that omit output_index on some events. */
  private readonly aliases = new Map<string, string>()

  push(event: { event: string | null; data: string }): StreamEvent[] {
    if (this.closed) return []
    const data = parseJson(event.data)
    if (!isObject(data)) return []
    const type = str(data.type) ?? event.event ?? ''
    const out: StreamEvent[] = []
    if (!this.started) {
      this.started = true
      const response = isObject(data.response) ? data.response : {}
      out.push({ type: 'start', id: str(response.id) ?? '', model: str(response.model) ?? '' })
    }
    out.push(...this.handle(type, data))
    return out
  }

  end(): StreamEvent[] {
    if (this.closed) return []
    this.closed = true
    if (this.sawContent) return [{ type: 'finish', stop: this.sawToolCall ? 'tool_use' : 'end' }]
    return [{ type: 'error', error: relayErrors.upstreamFailed(502, 'The upstream stream ended before response.completed.') }]
  }

  private handle(type: string, data: JsonObject): StreamEvent[] {
    const key = this.keyOf(data)
    switch (type) {
      case 'response.output_item.added':
        return isObject(data.item) ? this.itemAdded(key, data.item) : []
      case 'response.output_item.done':
        return isObject(data.item) ? this.itemDone(key, data.item) : []
      case 'response.output_text.delta':
        this.texts.add(key)
        return this.content({ type: 'text_delta', text: str(data.delta) ?? '' })
      case 'response.refusal.delta':
        this.texts.add(key)
        return this.content({ type: 'refusal_delta', text: str(data.delta) ?? '' })
      case 'response.reasoning_summary_text.delta':
        return this.reasoningDelta(key, 'summary', num(data.summary_index) ?? 0, str(data.delta) ?? '')
      case 'response.reasoning_text.delta':
        return this.reasoningDelta(key, 'content', num(data.content_index) ?? 0, str(data.delta) ?? '')
      case 'response.function_call_arguments.delta':
      case 'response.custom_tool_call_input.delta': {
        const tool = this.tools.get(key)
        const delta = str(data.delta) ?? ''
        if (tool === undefined || delta === '') return []
        tool.sawDelta = true
        return [{ type: 'tool_call_delta', index: tool.index, arguments: delta }]
      }
      case 'response.completed':
      case 'response.incomplete': {
        this.closed = true
        const response = isObject(data.response) ? data.response : {}
        const usage = usageFromResponses(response.usage)
        const finish: StreamEvent = { type: 'finish', stop: stopOf(response, this.sawToolCall) }
        return usage !== null ? [{ type: 'usage', usage }, finish] : [finish]
      }
      case 'response.failed': {
        this.closed = true
        const response = isObject(data.response) ? data.response : {}
        const error = isObject(response.error) ? response.error : {}
        return [{ type: 'error', error: upstreamStreamError(str(error.code), str(error.message)) }]
      }
      case 'error': {
        this.closed = true
        const error = isObject(data.error) ? data.error : data
        return [{ type: 'error', error: upstreamStreamError(str(error.code), str(error.message)) }]
      }
      default:
        return []
    }
  }

  /** Items are told apart by output_index, or by item id where a server leaves the index out. */
  private keyOf(data: JsonObject): string {
    const id = str(data.item_id) ?? (isObject(data.item) ? str(data.item.id) : undefined)
    const index = num(data.output_index)
    if (index === undefined) return (id !== undefined ? this.aliases.get(id) : undefined) ?? `id:${id ?? ''}`
    if (id !== undefined) this.aliases.set(id, `#${index}`)
    return `#${index}`
  }

  private content(event: StreamEvent & { text: string }): StreamEvent[] {
    if (event.text === '') return []
    this.sawContent = true
    return [event]
  }

  private itemAdded(key: string, item: JsonObject): StreamEvent[] {
    if (item.type === 'function_call' || item.type === 'custom_tool_call') return this.startTool(key, item)
    if (item.type === 'reasoning' && !this.reasoning.has(key)) this.reasoning.set(key, { source: null, part: 0, sawText: false })
    return []
  }

  private startTool(key: string, item: JsonObject): StreamEvent[] {
    if (this.tools.has(key)) return []
    const index = this.toolCount++
    this.tools.set(key, { index, sawDelta: false })
    this.sawContent = true
    this.sawToolCall = true
    const id = str(item.call_id) ?? str(item.id) ?? `call_${index}`
    return [{ type: 'tool_call_start', index, id, name: str(item.name) ?? '', kind: item.type === 'custom_tool_call' ? 'custom' : 'function' }]
  }

  private itemDone(key: string, item: JsonObject): StreamEvent[] {
    switch (item.type) {
      case 'function_call':
      case 'custom_tool_call': {
        const out = this.startTool(key, item)
        const tool = this.tools.get(key)
        const args = str(item.type === 'custom_tool_call' ? item.input : item.arguments) ?? ''
        if (tool !== undefined && !tool.sawDelta && args !== '') {
          tool.sawDelta = true
          out.push({ type: 'tool_call_delta', index: tool.index, arguments: args })
        }
        return out
      }
      case 'message': {
        if (this.texts.has(key)) return []
        this.texts.add(key)
        return objects(item.content).flatMap(part => {
          if (part.type === 'output_text') return this.content({ type: 'text_delta', text: str(part.text) ?? '' })
          if (part.type === 'refusal') return this.content({ type: 'refusal_delta', text: str(part.refusal) ?? '' })
          return []
        })
      }
      case 'reasoning': {
        const state = this.reasoning.get(key)
        this.reasoning.delete(key)
        const text = state?.sawText === true ? '' : reasoningText(item)
        const opaque = reasoningOpaque(item)
        const id = str(item.id)
        this.sawContent = true
        return [
          ...(text !== '' ? [{ type: 'reasoning_delta' as const, text }] : []),
          { type: 'reasoning_done', ...(opaque !== undefined ? { opaque } : {}), ...(id !== undefined ? { id } : {}) }
        ]
      }
      default:
        return []
    }
  }

  private reasoningDelta(key: string, source: 'summary' | 'content', part: number, delta: string): StreamEvent[] {
    let state = this.reasoning.get(key)
    if (state === undefined) {
      state = { source: null, part: 0, sawText: false }
      this.reasoning.set(key, state)
    }
    if (delta === '' || (state.source !== null && state.source !== source)) return []
    state.source = source
    // Summary parts / content parts are separate paragraphs; joined the way a request's reasoning item is read back.
    const text = state.sawText && part !== state.part ? `\n\n${delta}` : delta
    state.part = part
    state.sawText = true
    this.sawContent = true
    return [{ type: 'reasoning_delta', text }]
  }
}

