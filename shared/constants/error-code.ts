/** Stable error codes of the admin API (`{ error: { code, message } }`); clients may switch on them. */
export const ErrorCode = {
  ValidationFailed: 'validation_failed',
  InvalidJson: 'invalid_json',
  Unauthorized: 'unauthorized',
  Forbidden: 'forbidden',
  NotFound: 'not_found',
  Conflict: 'conflict',
  PayloadTooLarge: 'payload_too_large',
  TooManyRequests: 'too_many_requests',
  /** Sign-in refused after repeated failures; `Retry-After` says when to try again. */
  TooManyAttempts: 'too_many_attempts',
  /** The Host header names a server this instance does not answer for (DNS rebinding guard). */
  HostNotAllowed: 'host_not_allowed',
  Internal: 'internal_error',
  Unavailable: 'unavailable',
  /** models.dev could not be read; the stored prices were kept. */
  PriceSyncFailed: 'price_sync_failed',
  /** A provider call the admin asked for (model list) failed; the message says why. */
  UpstreamFailed: 'upstream_failed'
} as const
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode]
