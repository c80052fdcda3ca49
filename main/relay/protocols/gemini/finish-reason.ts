import type { StopReason } from '../../canonical/response'
import type { WireFinishReason } from './types'

const FILTERED = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'LANGUAGE'])
const MALFORMED = new Set(['MALFORMED_FUNCTION_CALL', 'UNEXPECTED_TOOL_CALL', 'TOO_MANY_TOOL_CALLS'])

/**
 * Gemini `finishReason` → canonical (docs/protocols.md §3.3). Gemini has no tool-call reason:
 * a turn that produced any functionCall is `tool_use` whatever it says (§4 case 12).
 */
export function stopFromGemini(reason: string, sawToolCall: boolean): StopReason {
  if (sawToolCall) return 'tool_use'
  if (reason === 'STOP') return 'end'
  if (reason === 'MAX_TOKENS') return 'max_tokens'
  if (FILTERED.has(reason) || reason.startsWith('IMAGE_')) return 'content_filter'
  if (MALFORMED.has(reason)) return 'malformed_tool'
  return 'end'
}

/** Canonical stop → the `finishReason` a Gemini client gets. */
export function finishReasonFor(stop: StopReason): WireFinishReason {
  switch (stop) {
    case 'max_tokens':
    case 'context_window':
      return 'MAX_TOKENS'
    case 'content_filter':
    case 'refusal':
      return 'SAFETY'
    case 'malformed_tool':
      return 'MALFORMED_FUNCTION_CALL'
    case 'error':
      return 'OTHER'
    default:
      return 'STOP'
  }
}
