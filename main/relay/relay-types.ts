import type { ServerResponse } from 'node:http'
import type { Protocol } from './canonical/request'
import type { RelayError } from './relay-errors'
import type { RouteApiKey } from './routing/route-table'

/** A client request, as far as routing needs it; the body is converted only when a channel needs it. */
export interface RelayRequest {
  requestId: string
  apiKey: RouteApiKey
  /** The protocol the client speaks. */
  protocol: Protocol
  model: string
  stream: boolean
  /** The client asked for usage inside the stream (Chat `stream_options.include_usage`). */
  streamUsage: boolean
  /** Gemini clients choose SSE (`alt=sse`) or a streamed JSON array. */
  streamFraming: 'sse' | 'json-array'
  /** The conversation for sticky routing (`kind:value`, see http/relay/session-key.ts), or null. */
  session: string | null
  body: Record<string, unknown>
  /** Client headers a channel of the client's own protocol must get unchanged (Anthropic's version and betas). */
  forwardHeaders: Record<string, string>
  /**
   * Aborted by the HTTP layer when the client goes away (with no reason of ours) and by the
   * relay when its deadline passes (reason DEADLINE); one controller per request, as undici
   * needs one signal and making controllers is not free.
   */
  controller: AbortController
  startedAt: number
}

/** The abort reason of a request whose total deadline passed. */
export const DEADLINE = Symbol('deadline')

/** Whether the request was aborted because its client went away (not by the deadline). */
export function clientGone(signal: AbortSignal): boolean {
  return signal.aborted && signal.reason !== DEADLINE
}

/** What the HTTP layer writes back. */
export type RelayResponse =
  | { kind: 'error'; error: RelayError; headers: Record<string, string> }
  | { kind: 'body'; status: number; contentType: string; body: Buffer | string; headers: Record<string, string> }
  /** A committed stream: the HTTP layer sets the status and headers, then hands over the response. */
  | { kind: 'stream'; status: number; contentType: string; headers: Record<string, string>; pipe: (res: ServerResponse) => void }
