import type { Context } from 'koa'
import type { Protocol } from '../../relay/canonical/request'
import type { ProtocolRegistry } from '../../relay/protocols/protocol-adapter'
import { relayErrors, type RelayError } from '../../relay/relay-errors'
import type { RelayGate } from '../../relay/relay-gate'
import type { RelayService } from '../../relay/relay-service'
import type { RelayResponse } from '../../relay/relay-types'
import type { RouteTableStore } from '../../relay/routing/route-table-store'
import type { TokenCountService } from '../../relay/token-count-service'
import { readJsonBody } from '../middleware/read-body'
import { authenticateClient } from './client-key'
import { requestSession } from './session-key'
import { sendBody, sendJson } from './respond'
import type { FactsResult } from './routing-facts'

/** What the relay routes need. */
export interface RelayRouteDeps {
  relay: RelayService
  counter: TokenCountService
  /** Closed while the desktop tray pauses the relay. */
  gate: RelayGate
  routes: RouteTableStore
  adapters: ProtocolRegistry
  bodyLimitBytes: number
  now: () => number
}

/** How a route reads its request: the protocol, the routing facts and the stream framing. */
export interface RouteShape {
  protocol: Protocol
  facts: (ctx: Context, body: Record<string, unknown>) => FactsResult
  framing?: (ctx: Context) => 'sse' | 'json-array'
  /** Client headers passed on to a channel of the same protocol (lower-case names). */
  forward?: readonly string[]
}

const NOTHING: Record<string, string> = {}

/** The listed headers the client sent. */
function forwarded(ctx: Context, names: readonly string[] | undefined): Record<string, string> {
  if (names === undefined) return NOTHING
  const out: Record<string, string> = {}
  for (const name of names) {
    const value = ctx.get(name)
    if (value !== '') out[name] = value
  }
  return out
}

/**
 * The handler shared by every generate endpoint: client key → body → routing facts → relay →
 * answer. Every refusal is written in the client's own protocol.
 */
export function relayHandler(deps: RelayRouteDeps, shape: RouteShape): (ctx: Context) => Promise<void> {
  const sendError = (ctx: Context, error: RelayError, headers: Record<string, string> = {}): void => writeError(ctx, deps.adapters, shape.protocol, error, headers)
  return async ctx => {
    const auth = authenticateClient(ctx, deps.routes.current(), deps.now())
    if (!auth.ok) return sendError(ctx, auth.error)
    if (deps.gate.paused) return sendError(ctx, relayErrors.paused())
    const read = await readJsonBody(ctx, deps.bodyLimitBytes)
    if (!read.ok) {
      if (read.failure.kind === 'aborted') return
      return sendError(ctx, read.failure.kind === 'too_large' ? relayErrors.payloadTooLarge(deps.bodyLimitBytes) : relayErrors.invalidJson(read.failure.detail))
    }
    const body = read.value
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return sendError(ctx, relayErrors.invalidRequest('Request body must be a JSON object.'))
    const checked = shape.facts(ctx, body as Record<string, unknown>)
    if (!checked.ok) return sendError(ctx, relayErrors.invalidRequest(`Invalid request: ${checked.problems.join('; ')}`))
    const result = await deps.relay.relay({
      requestId: String(ctx.state.requestId),
      apiKey: auth.key,
      protocol: shape.protocol,
      ...checked.facts,
      session: requestSession(ctx, checked.facts.session),
      streamFraming: shape.framing?.(ctx) ?? 'sse',
      body: body as Record<string, unknown>,
      forwardHeaders: forwarded(ctx, shape.forward),
      controller: abortOnClose(ctx),
      startedAt: Number(ctx.state.startedAt ?? deps.now())
    })
    writeResult(ctx, deps.adapters, shape.protocol, result)
  }
}

/** Writes a RelayError in `protocol`'s error format. */
export function writeError(ctx: Context, adapters: ProtocolRegistry, protocol: Protocol, error: RelayError, headers: Record<string, string> = {}): void {
  sendJson(ctx, error.status, adapters[protocol].client.errorBody(error), headers)
}

function writeResult(ctx: Context, adapters: ProtocolRegistry, protocol: Protocol, result: RelayResponse): void {
  if (result.kind === 'error') return writeError(ctx, adapters, protocol, result.error, result.headers)
  if (result.kind === 'body') return sendBody(ctx, result.status, result.contentType, result.body, result.headers)
  ctx.set(result.headers)
  ctx.status = result.status
  ctx.set({ 'content-type': result.contentType, 'cache-control': 'no-cache', 'x-accel-buffering': 'no' })
  // Small stream writes must leave at once, not wait for Nagle's algorithm.
  ctx.req.socket.setNoDelay(true)
  // Written straight to the socket: Koa would put a stream pipeline between us and the client.
  ctx.respond = false
  result.pipe(ctx.res)
}

/** The request's abort controller, aborted when the client closes the connection before the response ended. */
function abortOnClose(ctx: Context): AbortController {
  const controller = new AbortController()
  ctx.res.once('close', () => {
    if (!ctx.res.writableFinished) controller.abort()
  })
  return controller
}
