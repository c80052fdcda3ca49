import type { StreamDecoder, StreamEvent } from '../../canonical/stream-event'
import { relayErrors } from '../../relay-errors'
import { relayErrorFromChat } from './errors'
import { stopFromChat } from './finish-reason'
import { isRecord, list, parseJson, str, type Json } from './guards'
import { ToolFragments } from './tool-fragments'
import { usageFromChat } from './usage'

/**
 * Chat Completions SSE (docs/protocols.md §2.1) → canonical events. Parses defensively: content
 * and finish_reason in one chunk, usage on the finish chunk or on a `choices: []` chunk, the
 * `reasoning_content` / `reasoning` extensions, legacy `function_call` deltas.
 */
class ChatStreamDecoder implements StreamDecoder {
  private started = false
  private finished = false
  private failed = false
  private content = false
  private reasoningOpen = false
  private readonly tools = new ToolFragments()

  push(event: { event: string | null; data: string }): StreamEvent[] {
    if (this.failed) return []
    const data = event.data.trim()
    if (data === '' || data === '[DONE]') return []
    const chunk = parseJson(data)
    if (!isRecord(chunk)) return []
    if ((chunk.error !== undefined && chunk.error !== null) || event.event === 'error') {
      this.failed = true
      return [{ type: 'error', error: relayErrorFromChat(chunk.error ?? chunk) }]
    }
    const out: StreamEvent[] = []
    if (!this.started) {
      this.started = true
      out.push({ type: 'start', id: str(chunk.id) ?? '', model: str(chunk.model) ?? '' })
    }
    const choice = list(chunk.choices).find(c => isRecord(c) && (c.index === undefined || c.index === 0))
    if (isRecord(choice) && !this.finished) {
      const delta = isRecord(choice.delta) ? choice.delta : isRecord(choice.message) ? choice.message : {}
      out.push(...this.delta(delta))
      const reason = choice.finish_reason
      if (typeof reason === 'string' && reason !== '') {
        this.finished = true
        out.push(...this.closeReasoning(), { type: 'finish', stop: stopFromChat(reason, this.tools.seen) })
      }
    }
    const usage = usageFromChat(chunk.usage)
    if (usage !== null) out.push({ type: 'usage', usage })
    return out
  }

  end(): StreamEvent[] {
    if (this.failed || this.finished) return []
    if (this.content) {
      this.finished = true
      return [...this.closeReasoning(), { type: 'finish', stop: this.tools.seen ? 'tool_use' : 'end' }]
    }
    this.failed = true
    return [{ type: 'error', error: relayErrors.upstreamFailed(502, 'The upstream stream ended without an answer.') }]
  }

  private delta(delta: Json): StreamEvent[] {
    const out: StreamEvent[] = []
    const reasoning = str(delta.reasoning_content) || str(delta.reasoning)
    if (reasoning !== undefined && reasoning !== '') {
      this.reasoningOpen = true
      out.push({ type: 'reasoning_delta', text: reasoning })
    }
    const text = str(delta.content)
    if (text !== undefined && text !== '') out.push(...this.closeReasoning(), { type: 'text_delta', text })
    const refusal = str(delta.refusal)
    if (refusal !== undefined && refusal !== '') out.push(...this.closeReasoning(), { type: 'refusal_delta', text: refusal })
    const fragments = [...list(delta.tool_calls), ...(isRecord(delta.function_call) ? [{ index: -1, function: delta.function_call }] : [])]
    if (fragments.length > 0) out.push(...this.closeReasoning())
    fragments.forEach((fragment, position) => out.push(...this.tools.push(fragment, position)))
    if (out.length > 0) this.content = true
    return out
  }

  private closeReasoning(): StreamEvent[] {
    if (!this.reasoningOpen) return []
    this.reasoningOpen = false
    return [{ type: 'reasoning_done' }]
  }
}

/** A decoder for one upstream Chat Completions stream. */
export function createChatStreamDecoder(): StreamDecoder {
  return new ChatStreamDecoder()
}
