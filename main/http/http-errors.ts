import { ErrorCode } from '@shared/constants/error-code'
import type { FieldError } from '@shared/dto/common'
import type { ZodError } from 'zod'

type ZodIssue = ZodError['issues'][number]

/** The message of an issue; a bad record key says what is wrong with the key, not just that it is bad. */
function issueMessage(issue: ZodIssue): string {
  const inner = issue.code === 'invalid_key' ? issue.issues[0] : undefined
  return inner ? `name ${inner.message}` : issue.message
}

/** An admin API error with a stable code; rendered as `{ error: { code, message, fields? } }`. */
export class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldError[],
    /** Response headers the error needs (`Retry-After`). */
    readonly headers?: Readonly<Record<string, string>>
  ) {
    super(message)
    this.name = 'AdminError'
  }
}

/** Named factories for admin errors. */
export const adminErrors = {
  validation: (err: ZodError, where: string) => {
    const fields = err.issues.map(issue => ({ path: issue.path.join('.') || where, message: issueMessage(issue) }))
    const list = fields.map(f => `${f.path}: ${f.message}`).join('; ')
    return new AdminError(400, ErrorCode.ValidationFailed, `Invalid ${where}: ${list}`, fields)
  },
  invalidJson: (detail: string) => new AdminError(400, ErrorCode.InvalidJson, `Request body is not valid JSON: ${detail}`),
  unauthorized: (message = 'Sign in first: send "Authorization: Bearer <token>" from POST /api/v1/auth/login.') =>
    new AdminError(401, ErrorCode.Unauthorized, message),
  notFound: (what: string, id: number | string) => new AdminError(404, ErrorCode.NotFound, `${what} ${id} does not exist.`),
  conflict: (message: string) => new AdminError(409, ErrorCode.Conflict, message),
  invalidReference: (path: string, message: string) =>
    new AdminError(400, ErrorCode.ValidationFailed, `Invalid body: ${path}: ${message}`, [{ path, message }]),
  payloadTooLarge: (limit: number) => new AdminError(413, ErrorCode.PayloadTooLarge, `Request body is larger than ${limit} bytes.`),
  priceSyncFailed: (message: string) => new AdminError(502, ErrorCode.PriceSyncFailed, message),
  tooManyRequests: (message: string) => new AdminError(429, ErrorCode.TooManyRequests, message),
  tooManyAttempts: (retryAfterSec: number) =>
    new AdminError(
      429,
      ErrorCode.TooManyAttempts,
      `Too many failed sign-ins from this address for this user; try again in ${retryAfterSec} seconds.`,
      undefined,
      { 'retry-after': String(retryAfterSec) }
    ),
  upstreamFailed: (message: string) => new AdminError(502, ErrorCode.UpstreamFailed, message)
}
