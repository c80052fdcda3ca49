import type Router from '@koa/router'
import type { Context } from 'koa'
import { ADMIN_API, ADMIN_API_PREFIX, type AdminEndpoint, type EndpointDef, type EndpointInput } from '@shared/contract/admin-api'
import { adminErrors } from '../http-errors'
import { readJsonBody } from '../middleware/read-body'
import type { AdminDeps, AdminHandlers, AdminRequest } from './admin-context'
import { apiKeyHandlers } from './api-keys.routes'
import { authHandlers } from './auth.routes'
import { channelHandlers } from './channels.routes'
import { groupHandlers } from './groups.routes'
import { buildOpenApiDocument } from './openapi'
import { settingsHandlers } from './settings.routes'

/** Admin request bodies are small; this keeps a bad client from making the server read much. */
const ADMIN_BODY_LIMIT = 4 * 1024 * 1024

/** Registers every endpoint of the admin contract, with validation and token checks. */
export function registerAdminRoutes(router: Router, deps: AdminDeps): void {
  const handlers: AdminHandlers = {
    ...authHandlers(deps),
    ...channelHandlers(deps),
    ...groupHandlers(deps),
    ...apiKeyHandlers(deps),
    ...settingsHandlers(deps)
  }
  const openApi = buildOpenApiDocument()
  router.get(`${ADMIN_API_PREFIX}/openapi.json`, ctx => {
    ctx.body = openApi
  })
  for (const name of Object.keys(ADMIN_API) as AdminEndpoint[]) register(router, deps, name, handlers)
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
    const request = def.public ? { user: null, tokenExpiresAt: null } : await authenticate(ctx, deps)
    const input = { params: await parseParams(ctx, def), body: await parseBody(ctx, def) } as EndpointInput<K>
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

/** Checks the bearer token: signature, expiry, and that the user's sessions were not revoked since. */
async function authenticate(ctx: Context, deps: AdminDeps): Promise<AdminRequest> {
  const match = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'))
  if (!match?.[1]) throw adminErrors.unauthorized()
  const claims = deps.tokens.verify(match[1], deps.now())
  if (!claims) throw adminErrors.unauthorized('The token is invalid or has expired; sign in again.')
  const user = await deps.repos.users.get(claims.userId)
  if (!user || user.sessionEpoch !== claims.epoch) throw adminErrors.unauthorized('The token was revoked; sign in again.')
  return { user, tokenExpiresAt: claims.expiresAt }
}
