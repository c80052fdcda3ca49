import { sealOpaque } from '../../canonical/opaque'
import type { ReasoningPart } from '../../canonical/request'
import type { CanonicalResponse, OutputPart } from '../../canonical/response'
import { NO_USAGE } from '../../canonical/usage'
import { relayErrors } from '../../relay-errors'
import type { EncodeContext } from '../protocol-adapter'
import { clientToolId } from './client-tool-ids'
import { argumentsObject, arr, isObject, str } from './json'
import { stopFromAnthropic, stopToAnthropic } from './stop'
import { ANTHROPIC, type WireMessageResponse, type WireOutputBlock } from './types'
import { usageFromAnthropic, usageToAnthropic } from './usage'

/** The client-facing message id, derived from Cuttle's request id (`req_…` → `msg_…`). */
export function messageId(requestId: string): string {
  return `msg_${requestId.replace(/^req_/, '').replace(/[^a-zA-Z0-9]/g, '')}`
}

/** A reasoning part as a thinking block; foreign artefacts are sealed so they come back recognisable. */
export function thinkingBlock(part: ReasoningPart): WireOutputBlock | null {
  if (part.opaque?.redacted) return { type: 'redacted_thinking', data: sealOpaque(part.opaque, ANTHROPIC) }
  if (part.text === '' && !part.opaque) return null
  return { type: 'thinking', thinking: part.text, signature: part.opaque ? sealOpaque(part.opaque, ANTHROPIC) : '' }
}

function outputBlock(part: OutputPart): WireOutputBlock | null {
  switch (part.type) {
    case 'text':
    case 'refusal':
      return part.text === '' ? null : { type: 'text', text: part.text, citations: null }
    case 'reasoning':
      return thinkingBlock(part)
    case 'tool_call':
      return { type: 'tool_use', id: clientToolId(part.id, part.opaque), name: part.name, input: argumentsObject(part.arguments) }
  }
}

/** A finished answer as an Anthropic Message; the model echoes what the client asked for (§4 case 8). */
export function encodeAnthropicResponse(response: CanonicalResponse, ctx: EncodeContext): WireMessageResponse {
  const stop = stopToAnthropic(response.stop, response.stopSequence)
  return {
    id: messageId(ctx.requestId),
    type: 'message',
    role: 'assistant',
    model: ctx.clientModel,
    content: response.parts.flatMap(part => outputBlock(part) ?? []),
    stop_reason: stop.reason,
    stop_sequence: stop.sequence,
    usage: usageToAnthropic(response.usage)
  }
}

/** An upstream Message → canonical; server-tool blocks have no equivalent and are dropped. */
export function decodeAnthropicResponse(body: unknown): CanonicalResponse {
  if (!isObject(body) || !Array.isArray(body.content)) {
    const message = isObject(body) && isObject(body.error) ? str(body.error.message) : undefined
    throw relayErrors.upstreamFailed(502, message ?? 'The Anthropic upstream answered with a body that is not a message.')
  }
  const parts = arr(body.content).flatMap((block): OutputPart[] => {
    if (!isObject(block)) return []
    switch (block.type) {
      case 'text':
        return [{ type: 'text', text: str(block.text) ?? '' }]
      case 'thinking': {
        const signature = str(block.signature) ?? ''
        const opaque = signature !== '' ? { opaque: { protocol: ANTHROPIC, value: signature } } : {}
        return [{ type: 'reasoning', text: str(block.thinking) ?? '', ...opaque }]
      }
      case 'redacted_thinking':
        return [{ type: 'reasoning', text: '', opaque: { protocol: ANTHROPIC, value: str(block.data) ?? '', redacted: true } }]
      case 'tool_use':
        return [
          { type: 'tool_call', id: str(block.id) ?? '', name: str(block.name) ?? '', arguments: JSON.stringify(block.input ?? {}), kind: 'function' }
        ]
      default:
        return []
    }
  })
  const stopSequence = str(body.stop_sequence)
  return {
    id: str(body.id) ?? '',
    model: str(body.model) ?? '',
    parts,
    stop: stopFromAnthropic(body.stop_reason),
    ...(stopSequence !== undefined ? { stopSequence } : {}),
    usage: usageFromAnthropic(body.usage) ?? NO_USAGE
  }
}
