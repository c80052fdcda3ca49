import type { Middleware } from 'koa'
import { ErrorCode } from '@shared/constants/error-code'
import type { Logger } from '../../app/logger'
import type { Protocol } from '../../relay/canonical/request'
import type { ProtocolRegistry } from '../../relay/protocols/protocol-adapter'
import { relayErrors } from '../../relay/relay-errors'
import { AdminError } from '../http-errors'

/** The protocol a relay path speaks, for errors raised before its handler could say so; null off the relay. */
function protocolOfPath(path: string): Protocol | null {
  if (path.startsWith('/v1beta/') || /^\/v1\/models\/[^/]*:/.test(path)) return 'gemini'
  if (path.startsWith('/v1/messages')) return 'anthropic'
  if (path.startsWith('/v1/responses')) return 'openai-responses'
  return path.startsWith('/v1/') ? 'openai-chat' : null
}

/**
 * Last line of defence: an unexpected error becomes a 500 in the caller's format (its protocol's
 * shape on relay paths, the admin shape elsewhere), logged with the request id but never with
 * bodies or keys.
 */
export function errorHandler(logger: Logger, adapters: ProtocolRegistry): Middleware {
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
      const protocol = protocolOfPath(ctx.path)
      ctx.status = 500
      ctx.body =
        protocol !== null
          ? adapters[protocol].client.errorBody(relayErrors.internal())
          : { error: { code: ErrorCode.Internal, message: 'Internal error; see the server log for this request id.' } }
    }
  }
}
