import type Router from '@koa/router'
import type { Context } from 'koa'
import { ADMIN_API, ADMIN_API_PREFIX, type AdminEndpoint, type EndpointDef, type EndpointInput } from '@shared/contract/admin-api'
import { adminErrors } from '../http-errors'
import { readJsonBody } from '../middleware/read-body'
import type { AdminDeps, AdminHandlers } from './admin-context'
import { apiKeyHandlers } from './api-keys.routes'
import { authHandlers } from './auth.routes'
import { authenticate, bearerToken } from './authenticate'
import { channelHandlers } from './channels.routes'
import { channelTestHandlers } from './channel-test.routes'
import { groupHandlers } from './groups.routes'
import { modelSyncHandlers } from './model-sync.routes'
import { registerLiveStream } from './live-stream.routes'
import { buildOpenApiDocument } from './openapi'
import { priceHandlers } from './prices.routes'
import { providerPresetHandlers } from './provider-presets.routes'
import { settingsHandlers } from './settings.routes'
import { statsHandlers } from './stats.routes'
import { analyticsHandlers, registerSeriesCsv } from './analytics.routes'
import { logHandlers } from './logs.routes'

/** Admin request bodies are small; this keeps a bad client from making the server read much. */
const ADMIN_BODY_LIMIT = 4 * 1024 * 1024

/** Registers every endpoint of the admin contract, with validation and token checks. */
export function registerAdminRoutes(router: Router, deps: AdminDeps): void {
  const handlers: AdminHandlers = {
    ...authHandlers(deps),
    ...channelHandlers(deps),
    ...groupHandlers(deps),
    ...modelSyncHandlers(deps),
    ...channelTestHandlers(deps),
    ...providerPresetHandlers(),
    ...apiKeyHandlers(deps),
    ...priceHandlers(deps),
    ...settingsHandlers(deps),
    ...statsHandlers(deps),
    ...analyticsHandlers(deps),
    ...logHandlers(deps)
  }
  const openApi = buildOpenApiDocument()
  router.get(`${ADMIN_API_PREFIX}/openapi.json`, ctx => {
    ctx.body = openApi
  })
  for (const name of Object.keys(ADMIN_API) as AdminEndpoint[]) register(router, deps, name, handlers)
  // Not JSON, so outside the contract map; before the catch-all below, which would answer 404.
  registerLiveStream(router, deps)
  registerSeriesCsv(router, deps)
  router.all(`${ADMIN_API_PREFIX}/{*rest}`, () => {
    throw adminErrors.notFound('Admin endpoint', 'for this method and path')
  })
}

function register<K extends AdminEndpoint>(router: Router, deps: AdminDeps, name: K, handlers: AdminHandlers): void {
  const handler = handlers[name]
  const def: EndpointDef = ADMIN_API[name]
  const path = `${ADMIN_API_PREFIX}${def.path}`
  const method = def.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete'
  router[method](path, async ctx => {
    const signedIn = def.public ? { user: null, tokenExpiresAt: null } : await authenticate(bearerToken(ctx), deps)
    const request = { ...signedIn, clientIp: ctx.ip }
    const input = { params: await parseParams(ctx, def), query: parseQuery(ctx, def), body: await parseBody(ctx, def) } as EndpointInput<K>
    const result = await handler(input, request)
    ctx.status = def.status ?? 200
    ctx.body = result
  })
}

async function parseParams(ctx: Context, def: EndpointDef): Promise<unknown> {
  if (!def.params) return {}
  const parsed = def.params.safeParse(ctx.params)
  if (!parsed.success) throw adminErrors.validation(parsed.error, 'path')
  return parsed.data
}

function parseQuery(ctx: Context, def: EndpointDef): unknown {
  if (!def.query) return {}
  const parsed = def.query.safeParse(ctx.query)
  if (!parsed.success) throw adminErrors.validation(parsed.error, 'query')
  return parsed.data
}

async function parseBody(ctx: Context, def: EndpointDef): Promise<unknown> {
  if (!def.body) return undefined
  const read = await readJsonBody(ctx, ADMIN_BODY_LIMIT)
  if (!read.ok) {
    if (read.failure.kind === 'too_large') throw adminErrors.payloadTooLarge(ADMIN_BODY_LIMIT)
    throw adminErrors.invalidJson(read.failure.kind === 'invalid_json' ? read.failure.detail : 'the body could not be read')
  }
  const parsed = def.body.safeParse(read.value ?? {})
  if (!parsed.success) throw adminErrors.validation(parsed.error, 'body')
  return parsed.data
}
