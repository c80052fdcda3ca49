import type { Middleware } from 'koa'
import { ErrorCode } from '@shared/constants/error-code'
import type { Logger } from '../../app/logger'
import { relayErrors } from '../../relay/relay-errors'
import { chatErrorBody } from '../../relay/protocols/openai-chat/errors'
import { AdminError } from '../http-errors'

/**
 * Last line of defence: an unexpected error becomes a 500 in the caller's format (OpenAI shape on
 * relay paths, admin shape elsewhere), logged with the request id but never with bodies or keys.
 */
export function errorHandler(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next()
    } catch (err) {
      if (err instanceof AdminError) {
        ctx.status = err.status
        ctx.body = { error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) } }
        return
      }
      logger.error({ requestId: ctx.state.requestId, path: ctx.path, err: err instanceof Error ? err.stack : String(err) }, 'unhandled error')
      ctx.status = 500
      ctx.body = ctx.path.startsWith('/v1')
        ? chatErrorBody(relayErrors.internal())
        : { error: { code: ErrorCode.Internal, message: 'Internal error; see the server log for this request id.' } }
    }
  }
}
