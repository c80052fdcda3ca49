import { sealOpaque, type Opaque } from '../../canonical/opaque'
import type { StopReason } from '../../canonical/response'
import type { StreamEncoder, StreamEvent } from '../../canonical/stream-event'
import { NO_USAGE, type Usage } from '../../canonical/usage'
import type { RelayError } from '../../relay-errors'
import type { EncodeContext } from '../protocol-adapter'
import { geminiStreamError, geminiStreamErrorBody } from './errors'
import { finishReasonFor } from './finish-reason'
import { functionCallPart } from './response'
import type { WireCandidate, WireError, WirePart, WireResponse } from './types'
import { usageToGemini } from './usage'

interface HeldCall {
  id: string
  name: string
  arguments: string
  opaque?: Opaque
}

/**
 * Canonical events → a Gemini stream for js-genai / the Gemini CLI (docs/protocols.md §2.4,
 * §3.4 D): one GenerateContentResponse per event holding only the new parts, SSE
 * (`data: <one line>\r\n\r\n`, no event names, no terminator) or one JSON array written piece by
 * piece. Gemini clients expect function calls whole, so calls are held until their arguments
 * are complete: until other content, the finish or the end (calls from a Chat upstream may
 * interleave, so the next call's start does not prove the previous one complete). The last
 * chunk carries finishReason and usageMetadata and is written by `end()`, since usage may
 * arrive after the finish.
 */
export class GeminiStreamEncoder implements StreamEncoder {
  private written = false
  private closed = false
  private responseId: string
  private readonly calls = new Map<number, HeldCall>()
  private stop: StopReason = 'end'
  private usage: Usage = NO_USAGE

  constructor(private readonly ctx: EncodeContext) {
    this.responseId = ctx.requestId
  }

  /** The text to write for one event. */
  push(event: StreamEvent): string {
    if (this.closed) return ''
    switch (event.type) {
      case 'start':
        if (event.id !== '') this.responseId = event.id
        return ''
      case 'text_delta':
      case 'refusal_delta':
        return this.parts(event.text === '' ? [] : [{ text: event.text }])
      case 'reasoning_delta':
        return this.parts(event.text === '' ? [] : [{ text: event.text, thought: true }])
      case 'reasoning_done':
        // The signature cannot join thought parts already written, so it gets a part of its own.
        return this.parts(event.opaque === undefined ? [] : [signaturePart(event.opaque)])
      case 'reasoning_redacted':
        return this.parts([signaturePart(event.opaque)])
      case 'tool_call_start':
        this.calls.set(event.index, { id: event.id, name: event.name, arguments: '', ...(event.opaque !== undefined ? { opaque: event.opaque } : {}) })
        return ''
      case 'tool_call_delta': {
        const call = this.calls.get(event.index)
        if (call !== undefined) call.arguments += event.arguments
        return ''
      }
      case 'usage':
        this.usage = event.usage
        return ''
      case 'finish':
        this.stop = event.stop
        return this.parts([], true)
      case 'error':
        return this.error(event.error)
    }
  }

  /** The last chunk: held calls, finishReason and usageMetadata; `]` closes a JSON array. */
  end(): string {
    if (this.closed) return ''
    this.closed = true
    const candidate: WireCandidate = { content: { role: 'model', parts: this.heldCalls() }, finishReason: finishReasonFor(this.stop), index: 0 }
    const last = this.frame({ candidates: [candidate], usageMetadata: usageToGemini(this.usage), modelVersion: this.ctx.clientModel, responseId: this.responseId })
    return this.ctx.streamFraming === 'json-array' ? `${last}]` : last
  }

  /**
   * A chunk with `parts`, preceded by the held calls, which new content (or the finish) proves
   * complete; '' when there is nothing new, so an empty delta never cuts a call short.
   */
  private parts(parts: WirePart[], finishing = false): string {
    if (parts.length === 0 && !finishing) return ''
    const all = [...this.heldCalls(), ...parts]
    if (all.length === 0) return ''
    return this.frame({ candidates: [{ content: { role: 'model', parts: all }, index: 0 }], modelVersion: this.ctx.clientModel, responseId: this.responseId })
  }

  private heldCalls(): WirePart[] {
    const parts = [...this.calls.values()].map(functionCallPart)
    this.calls.clear()
    return parts
  }

  private error(error: RelayError): string {
    this.closed = true
    if (this.ctx.streamFraming === 'sse') return geminiStreamError(error)
    return `${this.frame(geminiStreamErrorBody(error))}]`
  }

  private frame(chunk: WireResponse | WireError): string {
    const json = JSON.stringify(chunk)
    if (this.ctx.streamFraming === 'sse') return `data: ${json}\r\n\r\n`
    const prefix = this.written ? ',\r\n' : '['
    this.written = true
    return `${prefix}${json}`
  }
}

function signaturePart(opaque: Opaque): WirePart {
  return { text: '', thought: true, thoughtSignature: sealOpaque(opaque, 'gemini') }
}
