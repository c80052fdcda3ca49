import type { Protocol } from './canonical/request'

/** What went wrong, independent of the protocol that will describe it to the client. */
export type RelayErrorKind =
  | 'invalid_request'
  | 'authentication'
  | 'permission'
  | 'not_found'
  | 'payload_too_large'
  | 'rate_limit'
  | 'upstream'
  | 'timeout'
  | 'unavailable'
  | 'internal'

/** An error the relay answers with; each client protocol renders it in its own body shape. */
export class RelayError extends Error {
  constructor(
    readonly status: number,
    readonly kind: RelayErrorKind,
    readonly code: string,
    message: string
  ) {
    super(message)
    this.name = 'RelayError'
  }
}

/** Named factories so every place that fails the same way says it the same way. */
export const relayErrors = {
  invalidJson: (detail: string) => new RelayError(400, 'invalid_request', 'invalid_json', `Request body is not valid JSON: ${detail}`),
  invalidRequest: (message: string) => new RelayError(400, 'invalid_request', 'invalid_request', message),
  missingKey: () =>
    new RelayError(
      401,
      'authentication',
      'missing_api_key',
      'No API key provided. Send it as "Authorization: Bearer <key>", "x-api-key", "x-goog-api-key" or "?key=".'
    ),
  invalidKey: () => new RelayError(401, 'authentication', 'invalid_api_key', 'Invalid API key.'),
  expiredKey: () => new RelayError(401, 'authentication', 'expired_api_key', 'This API key has expired.'),
  modelNotAllowed: (keyName: string, model: string) =>
    new RelayError(403, 'permission', 'model_not_allowed', `API key '${keyName}' may not use model "${model}": it is not among the key's allowed groups.`),
  modelDisabled: (model: string) =>
    new RelayError(403, 'permission', 'model_disabled', `Model "${model}" is disabled on this relay.`),
  modelNotFound: (model: string) =>
    new RelayError(404, 'not_found', 'model_not_found', `The model "${model}" does not exist on this relay.`),
  notFound: (message: string) => new RelayError(404, 'not_found', 'not_found', message),
  payloadTooLarge: (limit: number) =>
    new RelayError(413, 'payload_too_large', 'payload_too_large', `Request body is larger than the limit of ${limit} bytes.`),
  // "Please try again in Ns." is the phrase Codex and OpenAI's SDKs take a back-off from.
  overRequestRate: (keyName: string, rpm: number, retryAfterSec: number) =>
    new RelayError(429, 'rate_limit', 'rate_limit_exceeded', `API key '${keyName}' is over its limit of ${rpm} requests per minute. Please try again in ${retryAfterSec}s.`),
  overTokenRate: (keyName: string, tpm: number, retryAfterSec: number) =>
    new RelayError(429, 'rate_limit', 'rate_limit_exceeded', `API key '${keyName}' is over its limit of ${tpm} tokens per minute. Please try again in ${retryAfterSec}s.`),
  /** `insufficient_quota`: the code that makes Codex stop instead of retrying, which would not help before next month. */
  overBudget: (keyName: string, budgetUsd: number) =>
    new RelayError(429, 'rate_limit', 'insufficient_quota', `API key '${keyName}' has spent its monthly budget of $${budgetUsd.toFixed(2)}.`),
  paused: () => new RelayError(503, 'unavailable', 'relay_paused', 'Cuttle is paused: its owner stopped relaying for now. Try again later.'),
  noChannel: (model: string) =>
    new RelayError(503, 'unavailable', 'no_available_channel', `No enabled channel serves model "${model}".`),
  upstreamFailed: (status: number, message: string) => new RelayError(status, 'upstream', 'upstream_error', message),
  /** Every channel throttled the request: a rate limit as OpenAI words it, so SDKs raise RateLimitError and Codex backs off. */
  upstreamRateLimited: (message: string) => new RelayError(429, 'rate_limit', 'rate_limit_exceeded', message),
  /**
   * Every channel was overloaded (Anthropic's 529). Anthropic clients get their own 529
   * `overloaded_error`, which Claude Code knows by status (it waits, or moves to its fallback
   * model); 529 is no HTTP status elsewhere, and OpenAI and Gemini say overloaded with 503
   * (`server_error` / `UNAVAILABLE`), which their SDKs and any proxy in between know to retry.
   */
  upstreamOverloaded: (client: Protocol, message: string) => new RelayError(client === 'anthropic' ? 529 : 503, 'unavailable', 'upstream_overloaded', message),
  /** A client error (4xx) a channel answered, said again in the client's protocol. */
  upstreamRejected: (status: number, message: string) => new RelayError(status, kindOfClientStatus(status), 'upstream_rejected', message),
  timeout: (message: string) => new RelayError(504, 'timeout', 'upstream_timeout', message),
  internal: () => new RelayError(500, 'internal', 'internal_error', 'Internal error in the relay.')
}

function kindOfClientStatus(status: number): RelayErrorKind {
  if (status === 401) return 'authentication'
  if (status === 403) return 'permission'
  if (status === 404) return 'not_found'
  if (status === 413) return 'payload_too_large'
  if (status === 429) return 'rate_limit'
  return 'invalid_request'
}
