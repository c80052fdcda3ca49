import { RelayError, type RelayErrorKind } from '../../relay-errors'
import { sseFrame } from '../../sse'
import { isObject, parseJson, str } from './types'

/** OpenAI's `error.type` for each kind of failure. */
const TYPES: Record<RelayErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'invalid_request_error',
  payload_too_large: 'invalid_request_error',
  rate_limit: 'rate_limit_error',
  upstream: 'server_error',
  timeout: 'server_error',
  unavailable: 'server_error',
  internal: 'server_error'
}

/** Error body in the shape the OpenAI SDKs and Codex parse: `{ error: { message, type, param, code } }`. */
export function responsesErrorBody(error: RelayError): { error: { message: string; type: string; param: null; code: string } } {
  return { error: { message: error.message, type: TYPES[error.kind], param: null, code: error.code } }
}

/** The readable message inside an upstream error body (`{error:{message}}`, `{message}`), or its text. */
export function responsesErrorMessage(body: string): string {
  const parsed = parseJson(body)
  if (typeof parsed === 'string') return parsed
  if (isObject(parsed)) {
    const nested = isObject(parsed.error) ? str(parsed.error.message) : str(parsed.error)
    const message = nested ?? str(parsed.message)
    if (message !== undefined) return message
  }
  return body.replace(/\s+/g, ' ').trim()
}

/** Status and kind of the error codes a Responses upstream reports inside a stream. */
const UPSTREAM_CODES: Record<string, { status: number; kind: RelayErrorKind }> = {
  rate_limit_exceeded: { status: 429, kind: 'rate_limit' },
  insufficient_quota: { status: 429, kind: 'rate_limit' },
  context_length_exceeded: { status: 400, kind: 'invalid_request' },
  invalid_prompt: { status: 400, kind: 'invalid_request' },
  server_error: { status: 500, kind: 'upstream' }
}

/** A RelayError for an in-stream failure of a Responses upstream; the upstream code is kept. */
export function upstreamStreamError(code: string | undefined, message: string | undefined): RelayError {
  const known = code === undefined ? undefined : UPSTREAM_CODES[code]
  const text = message ?? 'The upstream reported a failed response.'
  if (known !== undefined && code !== undefined) return new RelayError(known.status, known.kind, code, text)
  return new RelayError(502, 'upstream', code ?? 'upstream_error', text)
}

const CONTEXT_OVERFLOW = /context[_ ]length|context window|maximum context|prompt is too long|too many (input )?tokens|input is too long/i
const RETRY_IN = /(?:try again|retry) (?:in|after)\s*(\d+(?:\.\d+)?)\s*(ms|s|sec|seconds?)\b/i

/**
 * The `response.failed` error for a RelayError, in codes Codex acts on: context overflow makes
 * it compact, `insufficient_quota` stops it, `rate_limit_exceeded` with "try again in N s" sets
 * its back-off; anything else is a retryable `server_error`.
 */
export function codexFailure(error: RelayError): { code: string; message: string } {
  const { message } = error
  if (error.code === 'context_length_exceeded' || (error.status < 500 && error.status !== 429 && CONTEXT_OVERFLOW.test(message))) {
    return { code: 'context_length_exceeded', message }
  }
  if (error.code === 'insufficient_quota') return { code: 'insufficient_quota', message }
  if (error.status === 429 || error.kind === 'rate_limit') return { code: 'rate_limit_exceeded', message: withRetryHint(message) }
  return { code: 'server_error', message }
}

/** Codex only reads "try again in N s"; other providers say "retry in 38s" / "retry after 2 seconds". */
function withRetryHint(message: string): string {
  if (/try again in/i.test(message)) return message
  const match = RETRY_IN.exec(message)
  if (match === null) return message
  const unit = match[2]?.toLowerCase() === 'ms' ? 'ms' : 's'
  return `${message} Please try again in ${match[1] ?? ''}${unit}.`
}

/**
 * The in-band end of a passed-through stream that broke: `response.failed`, the terminal event
 * Codex reads error codes from (an `error` event alone makes it retry blindly). The upstream's
 * sequence numbers are unknown here, so the frame carries none.
 */
export function responsesStreamError(error: RelayError): string {
  const response = {
    id: 'resp_failed',
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: 'failed',
    error: codexFailure(error),
    incomplete_details: null,
    output: [],
    usage: null
  }
  return sseFrame('response.failed', JSON.stringify({ type: 'response.failed', response }))
}
