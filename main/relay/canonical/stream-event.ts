import type { RelayError } from '../relay-errors'
import type { Opaque } from './opaque'
import type { StopReason } from './response'
import type { Usage } from './usage'

/**
 * What a stream decoder (upstream format → canonical) emits and a stream encoder (canonical →
 * client format) consumes (docs/protocols.md §3.1, §3.4). Decoders say what arrived; encoders
 * own every piece of client-format state (block indices, output_index, sequence_number, held
 * finish events, tool call buffering).
 *
 * Order guarantees a decoder gives: `start` first (exactly once); `tool_call_start` for a
 * given `index` before any `tool_call_delta` for it; `reasoning_done` closes the reasoning
 * segment the preceding `reasoning_delta`s belong to; `finish` at most once, after every
 * content event; `usage` any number of times (each one the cumulative total so far, so the
 * last wins), before or after `finish`; `error` ends the stream (nothing after it).
 */
export type StreamEvent =
  | { type: 'start'; id: string; model: string }
  | { type: 'text_delta'; text: string }
  | { type: 'reasoning_delta'; text: string }
  /** The current reasoning segment is complete; `opaque` is its signature / encrypted content. */
  | { type: 'reasoning_done'; opaque?: Opaque; id?: string }
  /** Anthropic `redacted_thinking`: a whole segment with no text; `opaque.redacted` is set. */
  | { type: 'reasoning_redacted'; opaque: Opaque }
  | { type: 'refusal_delta'; text: string }
  /**
   * A tool call begins. `index` counts the turn's tool calls from 0 in the order they started;
   * later deltas for the same call use it (Chat upstreams may interleave calls).
   */
  | { type: 'tool_call_start'; index: number; id: string; name: string; kind: 'function' | 'custom'; opaque?: Opaque }
  /** More argument text (JSON text, or raw input for a custom tool) for call `index`. */
  | { type: 'tool_call_delta'; index: number; arguments: string }
  | { type: 'usage'; usage: Usage }
  | { type: 'finish'; stop: StopReason; stopSequence?: string }
  | { type: 'error'; error: RelayError }

/** Turns one upstream stream into canonical events. One instance per stream. */
export interface StreamDecoder {
  /** One SSE event (`event:` name, joined `data:`) as the upstream sent it. */
  push(event: { event: string | null; data: string }): StreamEvent[]
  /**
   * The upstream closed the stream. Emits what is still owed: a synthesized `finish` when
   * content arrived without one, or an `error` when nothing usable arrived.
   */
  end(): StreamEvent[]
}

/** Turns canonical events into the client's stream format. One instance per stream. */
export interface StreamEncoder {
  /** The bytes (text) to write for one event; '' when it only changes state. */
  push(event: StreamEvent): string
  /**
   * The stream is over (after `finish` and any trailing `usage`): whatever the client format
   * still needs (held message_delta + message_stop, `[DONE]`, response.completed, …).
   * Not called after an `error` event.
   */
  end(): string
}
