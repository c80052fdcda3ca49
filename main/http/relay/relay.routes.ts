import type { Context, Middleware } from 'koa'
import type { Logger } from '../../app/logger'
import { relayErrors } from '../../relay/relay-errors'
import type { Protocol } from '../../relay/canonical/request'
import { assignRequestId } from '../middleware/request-id'
import { ampForwarder } from './amp-forward'
import { ampRelayPath, isAmpPath } from './amp-paths'
import { countHandler } from './count-handler'
import { modelListHandlers } from './models.routes'
import { relayHandler, writeError, type RelayRouteDeps } from './relay-handler'
import { bodyFacts, geminiFacts } from './routing-facts'

/** The generate methods of a Gemini model URL (`/v1beta/models/{model}:{method}`). */
const GEMINI_METHODS = new Set(['generateContent', 'streamGenerateContent'])
/** Gemini model URLs, in both API versions the SDKs use. */
const GEMINI_PREFIXES = ['/v1beta/models/', '/v1/models/']

type Handler = (ctx: Context) => Promise<void> | void

/**
 * Every client-facing endpoint of DESIGN §4, dispatched by one middleware placed first: a relayed
 * request meets a table lookup instead of the router's walk over every admin route, and its
 * answer is written straight to the socket (see respond.ts). Anything else goes on to the UI and
 * the admin API. A failure inside answers 500 in the client's own protocol. Amp CLI's model calls
 * (`/amp/api/provider/…`) are these same endpoints under another path; the rest of `/amp` is
 * forwarded to `ampUpstreamUrl` ('' for off).
 */
export function relayRoutes(deps: RelayRouteDeps, logger: Logger, amp: { upstreamUrl: string; apiKey: string | null }): Middleware {
  // Gateways must pass Anthropic's version and beta headers on unchanged (Claude Code's gateway protocol).
  const anthropicHeaders = ['anthropic-version', 'anthropic-beta']
  const models = modelListHandlers(deps)
  const exact = new Map<string, { protocol: Protocol; handler: Handler }>([
    ['POST /v1/chat/completions', { protocol: 'openai-chat', handler: relayHandler(deps, { protocol: 'openai-chat', facts: (_ctx, body) => bodyFacts('openai-chat', body) }) }],
    ['POST /v1/responses', { protocol: 'openai-responses', handler: relayHandler(deps, { protocol: 'openai-responses', facts: (_ctx, body) => bodyFacts('openai-responses', body) }) }],
    ['POST /v1/responses/input_tokens', { protocol: 'openai-responses', handler: countHandler(deps, { protocol: 'openai-responses' }) }],
    [
      'POST /v1/messages',
      { protocol: 'anthropic', handler: relayHandler(deps, { protocol: 'anthropic', facts: (_ctx, body) => bodyFacts('anthropic', body), forward: anthropicHeaders }) }
    ],
    ['POST /v1/messages/count_tokens', { protocol: 'anthropic', handler: countHandler(deps, { protocol: 'anthropic' }) }],
    ['GET /v1/models', { protocol: 'openai-chat', handler: models.openAiOrAnthropic }],
    ['GET /v1beta/models', { protocol: 'gemini', handler: models.gemini }]
  ])
  const gemini = relayHandler(deps, {
    protocol: 'gemini',
    facts: (ctx, body) => {
      const call = geminiCall(ctx.path)
      return geminiFacts(call.model, call.method === 'streamGenerateContent', body)
    },
    framing: ctx => (ctx.query.alt === 'sse' ? 'sse' : 'json-array')
  })
  const geminiCount = countHandler(deps, { protocol: 'gemini', urlModel: ctx => geminiCall(ctx.path).model })
  const geminiRoute = async (ctx: Context): Promise<void> => {
    const { method } = geminiCall(ctx.path)
    if (method === 'countTokens') return geminiCount(ctx)
    if (!GEMINI_METHODS.has(method)) return writeError(ctx, deps.adapters, 'gemini', relayErrors.notFound(`Method "${method}" is not served by this relay.`))
    await gemini(ctx)
  }

  const ampForward = ampForwarder(amp.upstreamUrl, amp.apiKey, presented => deps.routes.current().findApiKey(presented) !== undefined)

  return async (ctx, next) => {
    if (isAmpPath(ctx.path)) {
      const relayPath = ampRelayPath(ctx.path)
      if (relayPath === null) return ampForward(ctx)
      // Koa keeps the query string; from here on the request is the relay endpoint's own.
      ctx.path = relayPath
    }
    const route = exact.get(`${ctx.method} ${ctx.path}`)
    const isGemini = route === undefined && ctx.method === 'POST' && GEMINI_PREFIXES.some(p => ctx.path.startsWith(p)) && ctx.path.includes(':')
    if (route === undefined && !isGemini) {
      const protocol = protocolOfPath(ctx.path)
      if (protocol === null) return next()
      // An endpoint this relay does not serve, said in the format of the API the path belongs to.
      assignRequestId(ctx, deps.now)
      return writeError(ctx, deps.adapters, protocol, relayErrors.notFound(`This relay has no endpoint ${ctx.method} ${ctx.path}.`))
    }
    assignRequestId(ctx, deps.now)
    try {
      await (route ? route.handler(ctx) : geminiRoute(ctx))
    } catch (err) {
      logger.error({ requestId: ctx.state.requestId, path: ctx.path, err: err instanceof Error ? err.stack : String(err) }, 'unhandled relay error')
      writeError(ctx, deps.adapters, route?.protocol ?? 'gemini', relayErrors.internal())
    }
  }
}

/** The API a path outside the served endpoints belongs to; null when it is not the relay's (UI, admin). */
function protocolOfPath(path: string): Protocol | null {
  if (path.startsWith('/v1beta/') || /^\/v1\/models\/[^/]*:/.test(path)) return 'gemini'
  if (path.startsWith('/v1/messages')) return 'anthropic'
  if (path.startsWith('/v1/responses')) return 'openai-responses'
  return path.startsWith('/v1/') ? 'openai-chat' : null
}

/** `{model}:{method}` of a Gemini URL path; the model may itself contain dots and dashes. */
function geminiCall(path: string): { model: string; method: string } {
  const target = decodeURIComponent(path.slice(path.indexOf('/models/') + '/models/'.length))
  const colon = target.lastIndexOf(':')
  return colon === -1 ? { model: target, method: '' } : { model: target.slice(0, colon), method: target.slice(colon + 1) }
}
