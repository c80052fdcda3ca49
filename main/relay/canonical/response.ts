import type { ReasoningPart, RefusalPart, TextPart, ToolCallPart } from './request'
import type { Usage } from './usage'

/**
 * Why the model stopped (docs/protocols.md §3.3). Every protocol maps its own reasons onto
 * these and back; `error` is a turn the upstream reported as failed.
 */
export type StopReason =
  | 'end'
  | 'stop_sequence'
  | 'max_tokens'
  | 'tool_use'
  | 'content_filter'
  | 'refusal'
  | 'pause'
  | 'context_window'
  | 'malformed_tool'
  | 'error'

export type OutputPart = TextPart | ReasoningPart | ToolCallPart | RefusalPart

/** A finished, non-streamed answer. */
export interface CanonicalResponse {
  /** The upstream's id; encoders make one in their own format when it does not fit. */
  id: string
  /** The model the upstream says answered. */
  model: string
  /** In the order the model produced them. */
  parts: OutputPart[]
  stop: StopReason
  /** The stop sequence that ended the text, when the upstream said which. */
  stopSequence?: string
  usage: Usage
}
