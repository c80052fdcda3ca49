import type { StopReason } from '../../canonical/response'
import type { StopReason as WireStopReason } from './types'

/** An upstream `stop_reason` → canonical (docs/protocols.md §3.3); null or unknown ends normally. */
export function stopFromAnthropic(reason: unknown): StopReason {
  switch (reason) {
    case 'stop_sequence':
      return 'stop_sequence'
    case 'max_tokens':
      return 'max_tokens'
    case 'tool_use':
      return 'tool_use'
    case 'refusal':
      return 'refusal'
    case 'pause_turn':
      return 'pause'
    case 'model_context_window_exceeded':
      return 'context_window'
    default:
      return 'end'
  }
}

/**
 * A canonical stop → the client's `stop_reason` and `stop_sequence`. `stop_sequence` is only
 * claimed when the upstream said which sequence matched (§3.5 item 18).
 */
export function stopToAnthropic(stop: StopReason, stopSequence: string | undefined): { reason: WireStopReason; sequence: string | null } {
  switch (stop) {
    case 'stop_sequence':
      return stopSequence !== undefined ? { reason: 'stop_sequence', sequence: stopSequence } : { reason: 'end_turn', sequence: null }
    case 'max_tokens':
      return { reason: 'max_tokens', sequence: null }
    case 'tool_use':
      return { reason: 'tool_use', sequence: null }
    case 'content_filter':
    case 'refusal':
      return { reason: 'refusal', sequence: null }
    case 'pause':
      return { reason: 'pause_turn', sequence: null }
    case 'context_window':
      return { reason: 'model_context_window_exceeded', sequence: null }
    default:
      return { reason: 'end_turn', sequence: null }
  }
}
