import { sealOpaque, type Opaque } from '../../canonical/opaque'
import type { ReasoningPart, ToolCallPart } from '../../canonical/request'
import type { CanonicalResponse, OutputPart, StopReason } from '../../canonical/response'
import type { StreamEvent } from '../../canonical/stream-event'
import { NO_USAGE, type Usage } from '../../canonical/usage'
import { relayErrors } from '../../relay-errors'
import type { EncodeContext } from '../protocol-adapter'
import { finishReasonFor } from './finish-reason'
import { isRec, parseJson } from './read'
import { GeminiStreamDecoder } from './stream-decoder'
import type { WirePart, WireResponse } from './types'
import { usageToGemini } from './usage'

/** A tool call as one Gemini part: args parsed (invalid JSON → `{}`), a foreign artefact sealed. */
export function functionCallPart(call: { id: string; name: string; arguments: string; opaque?: Opaque }): WirePart {
  const args = parseJson(call.arguments)
  const part: WirePart = { functionCall: { id: call.id, name: call.name, args: isRec(args) ? args : {} } }
  if (call.opaque !== undefined) part.thoughtSignature = sealOpaque(call.opaque, 'gemini')
  return part
}

function outputPart(part: OutputPart): WirePart | undefined {
  switch (part.type) {
    case 'text':
    case 'refusal':
      return part.text === '' ? undefined : { text: part.text }
    case 'reasoning':
      if (part.opaque === undefined) return part.text === '' ? undefined : { text: part.text, thought: true }
      return { text: part.text, thought: true, thoughtSignature: sealOpaque(part.opaque, 'gemini') }
    case 'tool_call':
      return functionCallPart(part)
  }
}

/** A finished answer as a GenerateContentResponse, echoing the model the client asked for. */
export function encodeGeminiResponse(response: CanonicalResponse, ctx: EncodeContext): WireResponse {
  const parts = response.parts.flatMap(part => outputPart(part) ?? [])
  return {
    candidates: [{ content: { role: 'model', parts }, finishReason: finishReasonFor(response.stop), index: 0 }],
    usageMetadata: usageToGemini(response.usage),
    modelVersion: ctx.clientModel,
    responseId: response.id || ctx.requestId
  }
}

/**
 * A GenerateContentResponse (or the JSON array a non-SSE stream gives) → canonical. It goes
 * through the stream decoder, so a body and a stream of the same answer decode alike.
 */
export function decodeGeminiResponse(body: unknown): CanonicalResponse {
  const chunks = Array.isArray(body) ? body : [body]
  if (!chunks.every(isRec) || chunks.length === 0) throw relayErrors.upstreamFailed(502, 'Gemini answer is not a GenerateContentResponse object')
  const decoder = new GeminiStreamDecoder()
  const events = [...chunks.flatMap(chunk => decoder.chunk(chunk)), ...decoder.end()]
  return assemble(events)
}

/** Canonical events of one whole answer → the answer. */
function assemble(events: StreamEvent[]): CanonicalResponse {
  let id = ''
  let model = ''
  let stop: StopReason = 'end'
  let usage: Usage = NO_USAGE
  const parts: OutputPart[] = []
  const calls = new Map<number, ToolCallPart>()
  let segment: ReasoningPart | null = null
  for (const event of events) {
    const last = parts.at(-1)
    switch (event.type) {
      case 'start':
        id = event.id
        model = event.model
        break
      case 'text_delta':
      case 'refusal_delta': {
        const type = event.type === 'text_delta' ? 'text' : 'refusal'
        segment = null
        if (last?.type === type) last.text += event.text
        else parts.push({ type, text: event.text })
        break
      }
      case 'reasoning_delta':
        if (segment === null) {
          segment = { type: 'reasoning', text: '' }
          parts.push(segment)
        }
        segment.text += event.text
        break
      case 'reasoning_done':
        if (segment !== null && event.opaque !== undefined) segment.opaque = event.opaque
        else if (segment === null && event.opaque !== undefined) parts.push({ type: 'reasoning', text: '', opaque: event.opaque })
        segment = null
        break
      case 'reasoning_redacted':
        parts.push({ type: 'reasoning', text: '', opaque: event.opaque })
        break
      case 'tool_call_start': {
        const call: ToolCallPart = { type: 'tool_call', id: event.id, name: event.name, arguments: '', kind: event.kind }
        segment = null
        if (event.opaque !== undefined) call.opaque = event.opaque
        calls.set(event.index, call)
        parts.push(call)
        break
      }
      case 'tool_call_delta': {
        const call = calls.get(event.index)
        if (call !== undefined) call.arguments += event.arguments
        break
      }
      case 'usage':
        usage = event.usage
        break
      case 'finish':
        stop = event.stop
        break
      case 'error':
        throw event.error
    }
  }
  return { id, model, parts, stop, usage }
}
