import type { Readable } from 'node:stream'
import type { RelayError } from './relay-errors'
import type { RouteApiKey } from './routing/route-table'

/** A parsed client request, as far as routing needs it. */
export interface ChatRelayRequest {
  requestId: string
  apiKey: RouteApiKey
  model: string
  stream: boolean
  body: Record<string, unknown>
  /** Fires when the client goes away. */
  signal: AbortSignal
  startedAt: number
}

/** What the HTTP layer writes back. */
export type RelayResponse =
  | { kind: 'error'; error: RelayError; headers: Record<string, string> }
  | { kind: 'body'; status: number; contentType: string; body: Buffer; headers: Record<string, string> }
  | { kind: 'stream'; status: number; body: Readable; headers: Record<string, string> }
