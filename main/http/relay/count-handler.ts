import type { Context } from 'koa'
import { relayErrors } from '../../relay/relay-errors'
import type { Protocol } from '../../relay/canonical/request'
import { readJsonBody } from '../middleware/read-body'
import { authenticateClient } from './client-key'
import { sendJson } from './respond'
import { writeError, type RelayRouteDeps } from './relay-handler'

/** Where a count route finds the model, and which body fields it needs. */
export interface CountShape {
  protocol: Protocol
  /** The model named by the URL (Gemini); others read `model` from the body. */
  urlModel?: (ctx: Context) => string
}

/** The handler of a token count endpoint: client key → body → count (forwarded or estimated). */
export function countHandler(deps: RelayRouteDeps, shape: CountShape): (ctx: Context) => Promise<void> {
  return async ctx => {
    const fail = (error: Parameters<typeof writeError>[3]): void => writeError(ctx, deps.adapters, shape.protocol, error)
    const auth = authenticateClient(ctx, deps.routes.current(), deps.now())
    if (!auth.ok) return fail(auth.error)
    if (deps.gate.paused) return fail(relayErrors.paused())
    const read = await readJsonBody(ctx, deps.bodyLimitBytes)
    if (!read.ok) {
      if (read.failure.kind === 'aborted') return
      return fail(read.failure.kind === 'too_large' ? relayErrors.payloadTooLarge(deps.bodyLimitBytes) : relayErrors.invalidJson(read.failure.detail))
    }
    const body = read.value
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return fail(relayErrors.invalidRequest('Request body must be a JSON object.'))
    const fields = body as Record<string, unknown>
    const model = shape.urlModel ? shape.urlModel(ctx) : fields.model
    if (typeof model !== 'string' || model === '') return fail(relayErrors.invalidRequest('Invalid request: model: must be a non-empty string'))
    const result = await deps.counter.count({ protocol: shape.protocol, apiKey: auth.key, model, body: fields })
    if (result.kind === 'error') return fail(result.error)
    sendJson(ctx, 200, result.body, result.headers)
  }
}
