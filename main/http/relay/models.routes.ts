import type { Context } from 'koa'
import { visibleModels } from '../../relay/routing/route-table'
import { authenticateClient } from './client-key'
import { writeError, type RelayRouteDeps } from './relay-handler'
import { sendJson } from './respond'

/**
 * Model lists in the shape each client expects (docs/protocols.md §4 case 33, §5): Codex asks
 * `GET /v1/models?client_version=…` and wants `{models: [...]}`; Claude Code and the Anthropic
 * SDK send `anthropic-version`; everyone else gets OpenAI's list; Gemini clients ask `/v1beta/models`.
 */
export function modelListHandlers(deps: RelayRouteDeps): { openAiOrAnthropic: (ctx: Context) => void; gemini: (ctx: Context) => void } {
  const models = (ctx: Context): string[] | null => {
    const table = deps.routes.current()
    const auth = authenticateClient(ctx, table, deps.now())
    if (auth.ok) return visibleModels(table, auth.key)
    const protocol = ctx.path.startsWith('/v1beta') ? 'gemini' : ctx.get('anthropic-version') ? 'anthropic' : 'openai-chat'
    writeError(ctx, deps.adapters, protocol, auth.error)
    return null
  }

  const openAiOrAnthropic = (ctx: Context): void => {
    const ids = models(ctx)
    if (ids === null) return
    if (ctx.query.client_version !== undefined) {
      // Codex's own catalog shape needs many per-model fields; an empty catalog makes it use its
      // fallback metadata for any model name, which is what a relay's groups are to it.
      sendJson(ctx, 200, { models: [] })
    } else if (ctx.get('anthropic-version')) {
      const data = ids.map(id => ({ type: 'model', id, display_name: id, created_at: '1970-01-01T00:00:00Z' }))
      sendJson(ctx, 200, { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null })
    } else {
      sendJson(ctx, 200, { object: 'list', data: ids.map(id => ({ id, object: 'model', created: 0, owned_by: 'cuttle' })) })
    }
  }

  const gemini = (ctx: Context): void => {
    const ids = models(ctx)
    if (ids === null) return
    sendJson(ctx, 200, {
      models: ids.map(id => ({
        name: `models/${id}`,
        baseModelId: id,
        displayName: id,
        supportedGenerationMethods: ['generateContent', 'streamGenerateContent', 'countTokens']
      }))
    })
  }
  return { openAiOrAnthropic, gemini }
}
