import { RelayError, type RelayErrorKind } from '../../relay-errors'
import { isRec, parseJson, type Rec } from './read'
import type { WireError } from './types'

/** google.rpc status names by HTTP status (what js-genai and the Gemini CLI expect). */
const RPC_STATUS = new Map<number, string>([
  [400, 'INVALID_ARGUMENT'],
  [401, 'UNAUTHENTICATED'],
  [403, 'PERMISSION_DENIED'],
  [404, 'NOT_FOUND'],
  [413, 'INVALID_ARGUMENT'],
  [429, 'RESOURCE_EXHAUSTED'],
  [500, 'INTERNAL'],
  [503, 'UNAVAILABLE'],
  [504, 'DEADLINE_EXCEEDED']
])

/** Gemini's error body for `error`; its HTTP status is `error.status`. */
export function geminiErrorBody(error: Pick<RelayError, 'status' | 'message'>): WireError {
  return { error: { code: error.status, message: error.message, status: RPC_STATUS.get(error.status) ?? 'UNKNOWN' } }
}

/** The `error` object of a Gemini body (also inside a JSON-array stream), if any. */
function errorObject(body: unknown): Rec | undefined {
  const first: unknown = Array.isArray(body) ? body[0] : body
  return isRec(first) && isRec(first.error) ? first.error : undefined
}

/** The readable message inside an upstream error body; the trimmed text when it is not Gemini's shape. */
export function geminiErrorMessage(body: string): string {
  const message = errorObject(parseJson(body))?.message
  return typeof message === 'string' ? message : body.trim().slice(0, 2000)
}

const KINDS = new Map<number, RelayErrorKind>([
  [429, 'rate_limit'],
  [503, 'unavailable'],
  [504, 'timeout']
])

/** An `{error}` object met inside a stream or a 200 body → a RelayError with the upstream's status. */
export function relayErrorFromGemini(error: Rec): RelayError {
  const code = typeof error.code === 'number' && error.code >= 400 && error.code < 600 ? error.code : 502
  const message = typeof error.message === 'string' && error.message !== '' ? error.message : 'Gemini upstream reported an error'
  return new RelayError(code, KINDS.get(code) ?? 'upstream', 'upstream_error', message)
}

/** The `{error}` object ending a stream; js-genai throws an ApiError only when `code` is an HTTP error status. */
export function geminiStreamErrorBody(error: Pick<RelayError, 'status' | 'message'>): WireError {
  return geminiErrorBody({ status: error.status >= 400 && error.status < 600 ? error.status : 500, message: error.message })
}

/** An in-band error ending an SSE stream. */
export function geminiStreamError(error: Pick<RelayError, 'status' | 'message'>): string {
  return `data: ${JSON.stringify(geminiStreamErrorBody(error))}\r\n\r\n`
}
