import type { Middleware } from 'koa'
import { ErrorCode } from '@shared/constants/error-code'
import type { Logger } from '../../app/logger'
import { AdminError } from '../http-errors'

/**
 * Last line of defence for the admin API and the UI (relayed requests have their own, in their
 * protocol's format, in relay.routes.ts): an unexpected error becomes a 500 in the admin shape,
 * logged with the request id but never with bodies or keys.
 */
export function errorHandler(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next()
    } catch (err) {
      if (err instanceof AdminError) {
        ctx.status = err.status
        if (err.headers) ctx.set(err.headers)
        ctx.body = { error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) } }
        return
      }
      logger.error({ requestId: ctx.state.requestId, path: ctx.path, err: err instanceof Error ? err.stack : String(err) }, 'unhandled error')
      ctx.status = 500
      ctx.body = { error: { code: ErrorCode.Internal, message: 'Internal error; see the server log for this request id.' } }
    }
  }
}
