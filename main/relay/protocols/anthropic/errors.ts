import { RelayError, type RelayErrorKind } from '../../relay-errors'
import { sseFrame } from '../../sse'
import { isObject, parseJson, str } from './json'
import type { WireErrorBody } from './types'

/** Anthropic's `error.type` for the statuses it documents (docs/protocols.md §1.3). */
const TYPE_OF_STATUS: ReadonlyMap<number, string> = new Map([
  [400, 'invalid_request_error'],
  [401, 'authentication_error'],
  [402, 'billing_error'],
  [403, 'permission_error'],
  [404, 'not_found_error'],
  [413, 'request_too_large'],
  [429, 'rate_limit_error'],
  [500, 'api_error'],
  [504, 'timeout_error'],
  [529, 'overloaded_error']
])

/** The status and relay kind each Anthropic error type stands for (the reverse of the table). */
const STATUS_OF_TYPE: ReadonlyMap<string, { status: number; kind: RelayErrorKind }> = new Map([
  ['invalid_request_error', { status: 400, kind: 'invalid_request' }],
  ['authentication_error', { status: 401, kind: 'authentication' }],
  ['billing_error', { status: 402, kind: 'permission' }],
  ['permission_error', { status: 403, kind: 'permission' }],
  ['not_found_error', { status: 404, kind: 'not_found' }],
  ['request_too_large', { status: 413, kind: 'payload_too_large' }],
  ['rate_limit_error', { status: 429, kind: 'rate_limit' }],
  ['api_error', { status: 500, kind: 'upstream' }],
  ['timeout_error', { status: 504, kind: 'timeout' }],
  ['overloaded_error', { status: 529, kind: 'unavailable' }]
])

/** Anthropic's error type for an HTTP status; unknown 5xx are `api_error`, unknown 4xx `invalid_request_error`. */
export function anthropicErrorType(status: number): string {
  return TYPE_OF_STATUS.get(status) ?? (status >= 500 ? 'api_error' : 'invalid_request_error')
}

/** Error body in the shape the Anthropic SDK and Claude Code parse. */
export function anthropicErrorBody(error: RelayError): WireErrorBody {
  return { type: 'error', error: { type: anthropicErrorType(error.status), message: error.message } }
}

/** An in-band stream error: `event: error`, on which the SDK throws an APIError of that type (§2.3). */
export function anthropicStreamError(error: RelayError): string {
  return sseFrame('error', JSON.stringify(anthropicErrorBody(error)))
}

/** The readable message inside an upstream error body (JSON `error.message`, or the text itself). */
export function anthropicErrorMessage(body: string): string {
  const parsed = parseJson(body)
  if (isObject(parsed)) {
    const inner = isObject(parsed.error) ? str(parsed.error.message) : undefined
    const message = inner ?? str(parsed.message)
    if (message !== undefined) return message
  }
  return body.trim()
}

/** A stream's `event: error` payload as a RelayError typed by its `error.type`. */
export function errorFromEvent(payload: unknown): RelayError {
  const error = isObject(payload) && isObject(payload.error) ? payload.error : {}
  const type = str(error.type) ?? 'api_error'
  const message = str(error.message) ?? 'The upstream reported an error during the stream.'
  const known = STATUS_OF_TYPE.get(type) ?? { status: 502, kind: 'upstream' as const }
  return new RelayError(known.status, known.kind, type, message)
}
