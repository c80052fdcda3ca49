import type Router from '@koa/router'
import type { Context } from 'koa'
import { z } from 'zod'
import type { RelayService } from '../../relay/relay-service'
import { relayErrors, type RelayError } from '../../relay/relay-errors'
import type { RelayResponse } from '../../relay/relay-types'
import type { RouteTableStore } from '../../relay/routing/route-table-store'
import { chatErrorBody } from '../../relay/protocols/openai-chat/errors'
import { visibleModels } from '../../relay/routing/route-table'
import { readJsonBody } from '../middleware/read-body'
import { authenticateClient } from './client-key'

/** What the OpenAI routes need. */
export interface OpenAiRouteDeps {
  relay: RelayService
  routes: RouteTableStore
  bodyLimitBytes: number
  now: () => number
}

/** The part of a Chat Completions body routing reads; the rest passes through untouched. */
const ChatRoutingSchema = z.looseObject({
  model: z.string().min(1, 'must be a non-empty string'),
  messages: z.array(z.unknown()).min(1, 'must contain at least one message'),
  stream: z.boolean().nullish()
})

/** `POST /v1/chat/completions` and `GET /v1/models` in OpenAI's shapes. */
export function registerOpenAiRoutes(router: Router, deps: OpenAiRouteDeps): void {
  router.post('/v1/chat/completions', async ctx => {
    const auth = authenticateClient(ctx, deps.routes.current(), deps.now())
    if (!auth.ok) return sendError(ctx, auth.error)
    const read = await readJsonBody(ctx, deps.bodyLimitBytes)
    if (!read.ok) {
      if (read.failure.kind === 'aborted') return
      return sendError(ctx, read.failure.kind === 'too_large' ? relayErrors.payloadTooLarge(deps.bodyLimitBytes) : relayErrors.invalidJson(read.failure.detail))
    }
    if (typeof read.value !== 'object' || read.value === null || Array.isArray(read.value)) {
      return sendError(ctx, relayErrors.invalidRequest('Request body must be a JSON object.'))
    }
    const parsed = ChatRoutingSchema.safeParse(read.value)
    if (!parsed.success) {
      const detail = parsed.error.issues.map(i => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')
      return sendError(ctx, relayErrors.invalidRequest(`Invalid request: ${detail}`))
    }
    const body = parsed.data
    const result = await deps.relay.chat({
      requestId: String(ctx.state.requestId),
      apiKey: auth.key,
      model: body.model,
      stream: body.stream === true,
      body,
      signal: clientSignal(ctx),
      startedAt: Number(ctx.state.startedAt ?? deps.now())
    })
    writeResult(ctx, result)
  })

  router.get('/v1/models', ctx => {
    const table = deps.routes.current()
    const auth = authenticateClient(ctx, table, deps.now())
    if (!auth.ok) return sendError(ctx, auth.error)
    ctx.body = {
      object: 'list',
      data: visibleModels(table, auth.key).map(id => ({ id, object: 'model', created: 0, owned_by: 'cuttle' }))
    }
  })
}

function sendError(ctx: Context, error: RelayError, headers: Record<string, string> = {}): void {
  ctx.set(headers)
  ctx.status = error.status
  ctx.body = chatErrorBody(error)
}

function writeResult(ctx: Context, result: RelayResponse): void {
  if (result.kind === 'error') return sendError(ctx, result.error, result.headers)
  ctx.set(result.headers)
  ctx.status = result.status
  if (result.kind === 'body') {
    ctx.type = result.contentType
    ctx.body = result.body
    return
  }
  ctx.set({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' })
  // Small SSE writes must leave at once, not wait for Nagle's algorithm.
  ctx.req.socket.setNoDelay(true)
  ctx.body = result.body
}

/** An AbortSignal that fires when the client closes the connection before the response ended. */
function clientSignal(ctx: Context): AbortSignal {
  const controller = new AbortController()
  ctx.res.once('close', () => {
    if (!ctx.res.writableFinished) controller.abort()
  })
  return controller.signal
}
