import { RelayError, type RelayErrorKind } from '../../relay-errors'
import { isRecord, num, parseJson, str } from './guards'

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

/** Error body in the shape the OpenAI SDKs parse: `{ error: { message, type, param, code } }`. */
export function chatErrorBody(error: RelayError): { error: { message: string; type: string; param: null; code: string } } {
  return { error: { message: error.message, type: TYPES[error.kind], param: null, code: error.code } }
}

/** A mid-stream error event; the openai SDK throws on a chunk with a top-level `error`. */
export function chatStreamErrorEvent(error: RelayError): string {
  return `data: ${JSON.stringify(chatErrorBody(error))}\n\n`
}

/** Longest upstream error text kept; some servers answer errors with whole HTML pages. */
const MAX_MESSAGE = 2000

/** The readable message of an upstream error body: `{error:{message}}`, `{error:"…"}`, `{message}` or the text itself. */
export function chatErrorMessage(body: string): string {
  const parsed = parseJson(body)
  if (typeof parsed === 'string') return parsed.slice(0, MAX_MESSAGE)
  if (isRecord(parsed)) {
    const error = parsed.error
    const message = (isRecord(error) ? str(error.message) : str(error)) ?? str(parsed.message)
    if (message !== undefined && message !== '') return message.slice(0, MAX_MESSAGE)
  }
  return body.trim().slice(0, MAX_MESSAGE)
}

/** The RelayError kind an HTTP status stands for. */
function kindOf(status: number): RelayErrorKind {
  if (status === 400 || status === 422) return 'invalid_request'
  if (status === 401) return 'authentication'
  if (status === 403) return 'permission'
  if (status === 404) return 'not_found'
  if (status === 413) return 'payload_too_large'
  if (status === 429) return 'rate_limit'
  if (status === 408 || status === 504) return 'timeout'
  if (status === 503) return 'unavailable'
  return 'upstream'
}

/** An HTTP error status carried as a number or a numeric string, else undefined. */
function statusOf(value: unknown): number | undefined {
  const n = num(value) ?? (typeof value === 'string' && /^\d{3}$/.test(value) ? Number(value) : undefined)
  return n !== undefined && n >= 400 && n <= 599 ? n : undefined
}

/**
 * The `error` member of an in-stream error chunk as a RelayError: its status when the upstream
 * says one (`status`, or a numeric `code`), else 502.
 */
export function relayErrorFromChat(error: unknown): RelayError {
  const record = isRecord(error) ? error : {}
  const status = statusOf(record.status) ?? statusOf(record.code) ?? 502
  const message = str(record.message) ?? str(error) ?? 'The upstream reported an error in the stream.'
  const code = str(record.code) ?? str(record.type) ?? 'upstream_error'
  return new RelayError(status, kindOf(status), /^\d+$/.test(code) ? 'upstream_error' : code, message)
}
