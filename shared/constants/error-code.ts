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
  Internal: 'internal_error',
  Unavailable: 'unavailable'
} as const
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode]
