import type { RelayError, RelayErrorKind } from '../../relay-errors'

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
