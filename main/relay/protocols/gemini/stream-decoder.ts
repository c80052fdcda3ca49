import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { Opaque } from '../../canonical/opaque'
import type { StopReason } from '../../canonical/response'
import type { StreamDecoder, StreamEvent } from '../../canonical/stream-event'
import { relayErrors } from '../../relay-errors'
import { relayErrorFromGemini } from './errors'
import { stopFromGemini } from './finish-reason'
import { bool, field, isRec, list, num, parseJson, rec, str, type Rec } from './read'
import { usageFromGemini } from './usage'

/**
 * Gemini GenerateContentResponse chunks → canonical events (docs/protocols.md §2.4, §3.4 E).
 * Chunks already hold only new parts; functionCall parts arrive whole and become one start plus
 * one delta; the stop reason is `tool_use` when any call was seen in the turn (§4 case 12);
 * usageMetadata is cumulative and re-sent, so usage is emitted only when it changed.
 *
 * A functionCall without an id gets `call_<tag>_<n>`, where the tag is 8 hex of a hash of the
 * responseId (random when there is none): `<n>` restarts in every response, and a conversation
 * that later goes to Anthropic must not hold two tool_use blocks with one id.
 */
export class GeminiStreamDecoder implements StreamDecoder {
  private started = false
  private content = false
  private calls = 0
  private reasoningOpen = false
  private finished = false
  private failed = false
  private lastUsage = ''
  private callTag = ''

  /**
   * `envelope`: the field each chunk is wrapped in (Cloud Code's `response`), taken out of the one
   * parse the decoder does anyway; an object without it (an `{error}`) is read as it is.
   */
  constructor(private readonly envelope: string | null = null) {}

  /** One SSE event; `data` is one GenerateContentResponse (or an `{error}` object). */
  push(event: { event: string | null; data: string }): StreamEvent[] {
    const data = event.data.trim()
    if (data === '' || data === '[DONE]') return []
    const parsed = parseJson(data)
    const chunks = Array.isArray(parsed) ? parsed : [parsed]
    return chunks.flatMap(chunk => (isRec(chunk) ? this.chunk(this.unwrapped(chunk)) : []))
  }

  private unwrapped(chunk: Rec): Rec {
    return this.envelope === null ? chunk : (rec(chunk, this.envelope) ?? chunk)
  }

  /** One parsed response object. */
  chunk(chunk: Rec): StreamEvent[] {
    if (this.failed) return []
    if (isRec(chunk.error)) {
      this.failed = true
      return [{ type: 'error', error: relayErrorFromGemini(chunk.error) }]
    }
    const out: StreamEvent[] = []
    if (!this.started) {
      this.started = true
      const responseId = str(chunk, 'responseId') || undefined
      this.callTag = responseId !== undefined ? createHash('sha256').update(responseId).digest('hex').slice(0, 8) : randomBytes(4).toString('hex')
      out.push({ type: 'start', id: responseId ?? `gemini-${randomUUID()}`, model: str(chunk, 'modelVersion') ?? '' })
    }
    const candidates = list(chunk, 'candidates')
    // Only the first candidate is carried (canonical answers have one); candidateCount > 1 is lossy.
    const candidate = candidates.find(c => (num(c, 'index') ?? 0) === 0)
    if (!this.finished && isRec(candidate)) {
      for (const part of list(rec(candidate, 'content'), 'parts')) if (isRec(part)) out.push(...this.part(part))
      const reason = str(candidate, 'finishReason')
      if (reason !== undefined && reason !== 'FINISH_REASON_UNSPECIFIED') out.push(...this.finish(stopFromGemini(reason, this.calls > 0)))
    }
    if (!this.finished && candidates.length === 0 && str(rec(chunk, 'promptFeedback'), 'blockReason') !== undefined) {
      out.push(...this.finish('content_filter'))
    }
    const usage = usageFromGemini(field(chunk, 'usageMetadata'))
    const key = JSON.stringify(usage)
    if (usage !== null && key !== this.lastUsage) {
      this.lastUsage = key
      out.push({ type: 'usage', usage })
    }
    return out
  }

  /** The stream closed: a finish when content came without one, an error when nothing did. */
  end(): StreamEvent[] {
    if (this.failed || this.finished) return []
    if (this.content) return this.finish(this.calls > 0 ? 'tool_use' : 'end')
    this.failed = true
    return [{ type: 'error', error: relayErrors.upstreamFailed(502, 'Gemini stream ended without any content') }]
  }

  /**
   * A signature on a thought part closes the reasoning segment; on any other non-call part it
   * is reported before that part's content (it belongs to the thinking that preceded it).
   */
  private part(part: Rec): StreamEvent[] {
    const out: StreamEvent[] = []
    const signature = str(part, 'thoughtSignature')
    const opaque: Opaque | undefined = signature !== undefined && signature !== '' ? { protocol: 'gemini', value: signature } : undefined
    const text = str(part, 'text')
    if (text !== undefined && bool(part, 'thought') === true) {
      if (text !== '') {
        this.content = true
        this.reasoningOpen = true
        out.push({ type: 'reasoning_delta', text })
      }
      if (opaque !== undefined) out.push(this.closeReasoning(opaque))
      return out
    }
    const call = rec(part, 'functionCall')
    if (opaque !== undefined && call === undefined) out.push(this.closeReasoning(opaque))
    else if (this.reasoningOpen) out.push(this.closeReasoning(undefined))
    if (call !== undefined) {
      const index = this.calls++
      const args = field(call, 'args')
      this.content = true
      out.push(
        { type: 'tool_call_start', index, id: str(call, 'id') ?? `call_${this.callTag}_${index}`, name: str(call, 'name') ?? '', kind: 'function', ...(opaque !== undefined ? { opaque } : {}) },
        { type: 'tool_call_delta', index, arguments: JSON.stringify(isRec(args) ? args : {}) }
      )
    } else if (text !== undefined && text !== '') {
      this.content = true
      out.push({ type: 'text_delta', text })
    }
    return out
  }

  private closeReasoning(opaque: Opaque | undefined): StreamEvent {
    this.reasoningOpen = false
    if (opaque !== undefined) this.content = true
    return opaque !== undefined ? { type: 'reasoning_done', opaque } : { type: 'reasoning_done' }
  }

  private finish(stop: StopReason): StreamEvent[] {
    this.finished = true
    const out: StreamEvent[] = this.reasoningOpen ? [this.closeReasoning(undefined)] : []
    out.push({ type: 'finish', stop })
    return out
  }
}
