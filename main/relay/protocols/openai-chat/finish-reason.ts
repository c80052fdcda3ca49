import type { StopReason } from '../../canonical/response'

/** Chat's `finish_reason` values. */
export type ChatFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call'

/**
 * Upstream `finish_reason` → canonical. Some compatible servers say `stop` after tool calls, so a
 * turn that made calls is `tool_use` whatever they say, unless it was cut or filtered.
 */
export function stopFromChat(reason: unknown, sawToolCall: boolean): StopReason {
  switch (reason) {
    case 'length':
      return 'max_tokens'
    case 'content_filter':
      return 'content_filter'
    case 'tool_calls':
    case 'function_call':
      return 'tool_use'
    default:
      return sawToolCall ? 'tool_use' : 'end'
  }
}

/** Canonical stop → the `finish_reason` a Chat client gets (docs/protocols.md §3.3). */
export function finishReasonForChat(stop: StopReason): Exclude<ChatFinishReason, 'function_call'> {
  switch (stop) {
    case 'max_tokens':
    case 'context_window':
      return 'length'
    case 'tool_use':
      return 'tool_calls'
    case 'content_filter':
    case 'refusal':
      return 'content_filter'
    default:
      return 'stop'
  }
}
