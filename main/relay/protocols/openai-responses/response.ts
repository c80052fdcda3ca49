import type { Opaque } from '../../canonical/opaque'
import type { CanonicalResponse, OutputPart, StopReason } from '../../canonical/response'
import { NO_USAGE } from '../../canonical/usage'
import { relayErrors } from '../../relay-errors'
import type { EncodeContext } from '../protocol-adapter'
import { AnswerIds, outputItems, terminalOf } from './output-items'
import { responseShell } from './response-object'
import { isObject, objects, str, type JsonObject } from './types'
import { usageFromResponses, usageToResponses } from './usage'

/** A finished canonical answer as a Responses response object. */
export function encodeResponsesResponse(response: CanonicalResponse, ctx: EncodeContext): JsonObject {
  const ids = new AnswerIds(ctx.requestId)
  const { status, reason } = terminalOf(response.stop)
  return {
    ...responseShell(ctx, ids.response),
    status,
    error: status === 'failed' ? { code: 'server_error', message: 'The upstream reported a failed response.' } : null,
    incomplete_details: reason !== null ? { reason } : null,
    output: outputItems(response.parts, ids),
    usage: usageToResponses(response.usage)
  }
}

/** A Responses upstream's response object → canonical. */
export function decodeResponsesResponse(body: unknown): CanonicalResponse {
  if (!isObject(body)) throw relayErrors.upstreamFailed(502, 'The upstream answer is not a Responses object.')
  const parts = objects(body.output).flatMap(outputItemParts)
  return {
    id: str(body.id) ?? '',
    model: str(body.model) ?? '',
    parts,
    stop: stopOf(body, parts.some(p => p.type === 'tool_call')),
    usage: usageFromResponses(body.usage) ?? NO_USAGE
  }
}

/** Why a response object ended: completed with a tool call is tool_use (docs/protocols.md §3.3). */
export function stopOf(response: JsonObject, sawToolCall: boolean): StopReason {
  if (response.status === 'incomplete') {
    const reason = isObject(response.incomplete_details) ? response.incomplete_details.reason : undefined
    return reason === 'content_filter' ? 'content_filter' : 'max_tokens'
  }
  if (response.status === 'failed') return 'error'
  return sawToolCall || objects(response.output).some(isCallItem) ? 'tool_use' : 'end'
}

/** Whether an output item is a function or custom tool call. */
export function isCallItem(item: JsonObject): boolean {
  return item.type === 'function_call' || item.type === 'custom_tool_call'
}

/** An upstream reasoning item's encrypted content, as an artefact only OpenAI can read. */
export function reasoningOpaque(item: JsonObject): Opaque | undefined {
  const encrypted = str(item.encrypted_content)
  return encrypted !== undefined && encrypted !== '' ? { protocol: 'openai-responses', value: encrypted } : undefined
}

/** The readable text of a reasoning item: its summaries, or its raw reasoning text when it has none. */
export function reasoningText(item: JsonObject): string {
  const texts = (list: unknown): string[] => objects(list).flatMap(p => str(p.text) ?? [])
  const summary = texts(item.summary).filter(t => t !== '')
  return summary.length > 0 ? summary.join('\n\n') : texts(item.content).join('\n\n')
}

/** One output item as canonical parts; hosted-tool items have none. */
function outputItemParts(item: JsonObject): OutputPart[] {
  switch (item.type) {
    case 'message':
      return objects(item.content).flatMap((part): OutputPart[] => {
        if (part.type === 'output_text') return [{ type: 'text', text: str(part.text) ?? '' }]
        if (part.type === 'refusal') return [{ type: 'refusal', text: str(part.refusal) ?? '' }]
        return []
      })
    case 'function_call':
    case 'custom_tool_call': {
      const custom = item.type === 'custom_tool_call'
      const args = custom ? item.input : item.arguments
      return [
        {
          type: 'tool_call',
          id: str(item.call_id) ?? str(item.id) ?? '',
          name: str(item.name) ?? '',
          arguments: typeof args === 'string' ? args : '',
          kind: custom ? 'custom' : 'function'
        }
      ]
    }
    case 'reasoning': {
      const opaque = reasoningOpaque(item)
      const id = str(item.id)
      return [{ type: 'reasoning', text: reasoningText(item), ...(opaque !== undefined ? { opaque } : {}), ...(id !== undefined ? { id } : {}) }]
    }
    default:
      return []
  }
}
