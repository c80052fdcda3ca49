import Router from '@koa/router'
import type { Context } from 'koa'
import { relayErrors } from '../../relay/relay-errors'
import { countHandler } from './count-handler'
import { bodyFacts, geminiFacts } from './routing-facts'
import { registerModelRoutes } from './models.routes'
import { relayHandler, writeError, type RelayRouteDeps } from './relay-handler'

/** The generate methods of a Gemini model URL (`/v1beta/models/{model}:{method}`). */
const GEMINI_METHODS = new Set(['generateContent', 'streamGenerateContent'])

/**
 * Every client-facing endpoint of DESIGN §4, on a router of its own: it is matched before the
 * UI and the admin API, so a relayed request walks a handful of routes, not all of them.
 */
export function createRelayRouter(deps: RelayRouteDeps): Router {
  const router = new Router()
  router.post('/v1/chat/completions', relayHandler(deps, { protocol: 'openai-chat', facts: (_ctx, body) => bodyFacts('openai-chat', body) }))
  router.post('/v1/responses', relayHandler(deps, { protocol: 'openai-responses', facts: (_ctx, body) => bodyFacts('openai-responses', body) }))
  // Gateways must pass Anthropic's version and beta headers on unchanged (Claude Code's gateway protocol).
  const anthropicHeaders = ['anthropic-version', 'anthropic-beta']
  router.post('/v1/messages', relayHandler(deps, { protocol: 'anthropic', facts: (_ctx, body) => bodyFacts('anthropic', body), forward: anthropicHeaders }))
  router.post('/v1/messages/count_tokens', countHandler(deps, { protocol: 'anthropic' }))
  router.post('/v1/responses/input_tokens', countHandler(deps, { protocol: 'openai-responses' }))

  const gemini = relayHandler(deps, {
    protocol: 'gemini',
    facts: (ctx, body) => {
      const call = geminiCall(ctx)
      return geminiFacts(call.model, call.method === 'streamGenerateContent', body)
    },
    framing: ctx => (ctx.query.alt === 'sse' ? 'sse' : 'json-array')
  })
  const geminiCount = countHandler(deps, { protocol: 'gemini', urlModel: ctx => geminiCall(ctx).model })
  const geminiRoute = async (ctx: Context): Promise<void> => {
    const { method } = geminiCall(ctx)
    if (method === 'countTokens') return geminiCount(ctx)
    if (!GEMINI_METHODS.has(method)) {
      return writeError(ctx, deps.adapters, 'gemini', relayErrors.notFound(`Method "${method}" is not served by this relay.`))
    }
    await gemini(ctx)
  }
  for (const version of ['v1beta', 'v1']) router.post(`/${version}/models/:target`, geminiRoute)
  registerModelRoutes(router, deps)
  return router
}

/** `{model}:{method}` of a Gemini URL; the model may itself contain dots, dashes and colons. */
function geminiCall(ctx: Context): { model: string; method: string } {
  const target = String((ctx.params as Record<string, string | undefined>).target ?? '')
  const colon = target.lastIndexOf(':')
  return colon === -1 ? { model: target, method: '' } : { model: target.slice(0, colon), method: target.slice(colon + 1) }
}
