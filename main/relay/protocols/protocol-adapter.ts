import type { CanonicalRequest, Protocol } from '../canonical/request'
import type { CanonicalResponse } from '../canonical/response'
import type { StreamDecoder, StreamEncoder } from '../canonical/stream-event'
import type { Usage } from '../canonical/usage'
import type { RelayError } from '../relay-errors'
import type { SseEvent } from '../sse'

/** What an encoder needs to know of the request it answers. */
export interface EncodeContext {
  /** Cuttle's request id; ids made for the client derive from it. */
  requestId: string
  /** The model name the client sent: answers echo it (Claude Code reads capabilities from it). */
  clientModel: string
  /** The client's request, as parsed (Responses echoes fields of it; tool kinds live here). */
  request: CanonicalRequest
  /** When the answer started, ms since the epoch. */
  createdAt: number
  /** Gemini streams as SSE with `alt=sse`, otherwise as one JSON array written piece by piece. */
  streamFraming: 'sse' | 'json-array'
}

/** What the route knows before the body is parsed (Gemini puts model and streaming in the URL). */
export interface RouteFacts {
  model: string
  stream: boolean
}

/**
 * Reads usage out of a stream that is passed through untouched. Only SSE events whose data
 * contains `marker` are handed to `read`, so most events are never parsed.
 */
export interface UsageTap {
  readonly marker: string
  /** Takes the usage out of one event's data; true when the event must not reach the client. */
  read(data: string): boolean
  /** Usage seen so far (merged where the protocol splits it over several events). */
  usage(): Usage | null
}

/** Cuttle as a server of this protocol: what its clients send and must get back. */
export interface ClientSide {
  /**
   * The client's body → canonical. Throws a RelayError (400, `invalid_request`) naming the field
   * when the body is one the protocol itself would reject.
   */
  parseRequest(body: Record<string, unknown>, route: RouteFacts): CanonicalRequest
  /** A finished answer in this protocol's response body shape. */
  encodeResponse(response: CanonicalResponse, ctx: EncodeContext): unknown
  streamEncoder(ctx: EncodeContext): StreamEncoder
  /** This protocol's error body for `error` (its HTTP status is `error.status`). */
  errorBody(error: RelayError): unknown
  /**
   * An in-band error ending a stream that passed through untouched (same protocol on both
   * sides), in the frame this protocol's SDKs parse.
   */
  streamError(error: RelayError): string
}

/** Cuttle as a client of this protocol's upstreams. */
export interface UpstreamSide {
  /** Full URL of the generate endpoint under `baseUrl` (a bare origin gets the standard path). */
  url(baseUrl: string, model: string, stream: boolean): string
  /** Auth and protocol headers for `key` (null: the channel has no key). */
  headers(key: string | null, stream: boolean): Record<string, string>
  /** Canonical → this protocol's body, for `model` (the upstream model name). */
  buildRequest(request: CanonicalRequest, model: string): Record<string, unknown>
  decodeResponse(body: unknown): CanonicalResponse
  streamDecoder(): StreamDecoder
  /** The readable message inside an upstream error body (JSON or not). */
  errorMessage(body: string): string
}

/** Same protocol on both sides: the body passes through with the model (and usage options) rewritten. */
export interface PassThrough {
  /** The client's body for the upstream: `model` replaced, stream usage asked for where optional. */
  prepareBody(body: Record<string, unknown>, model: string, stream: boolean): Record<string, unknown>
  /** Usage from a non-streamed answer body. */
  usageOfBody(body: unknown): Usage | null
  /** A fresh tap for one stream; `clientWantsUsage` decides whether usage-only events are hidden. */
  usageTap(clientWantsUsage: boolean): UsageTap
  /**
   * The message of an in-band error event (one whose data contains `"error"`), or null when the
   * event is not one: the stream then passes on untouched but is logged as failed.
   */
  streamFailure(data: string): string | null
  /**
   * Whether a stream whose last events are `last` (at most two, oldest first, comments left out)
   * ended the way a whole stream of this protocol ends. Asked once, when the upstream closed the
   * stream cleanly: an upstream cut short must not reach the client as a complete answer.
   */
  endsComplete(last: readonly SseEvent[]): boolean
}

/** One wire protocol, both ways (DESIGN §2: request.ts response.ts stream.ts errors.ts types.ts index.ts). */
export interface ProtocolAdapter {
  readonly protocol: Protocol
  readonly client: ClientSide
  readonly upstream: UpstreamSide
  readonly passThrough: PassThrough
}

/** Every protocol's adapter, by protocol. */
export type ProtocolRegistry = Readonly<Record<Protocol, ProtocolAdapter>>
