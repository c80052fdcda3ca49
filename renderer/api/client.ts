/**
 * The typed client of the admin API. Types come from the shared contract; only types are
 * imported, so the contract's zod schemas stay out of the browser bundle. ROUTES lists every
 * endpoint and is checked against the contract at compile time: a changed path or method is a
 * type error here.
 */
import type { ADMIN_API_PREFIX, AdminApi, AdminEndpoint, EndpointBody, EndpointQuery, EndpointResult } from '@shared/contract/admin-api'
import type { ErrorBody } from '@shared/dto/common'

/** Prefix of every admin route. */
export const API_PREFIX: typeof ADMIN_API_PREFIX = '/api/v1'

/** Link to the machine-readable description of the admin API. */
export const OPENAPI_URL = `${API_PREFIX}/openapi.json`

type Route<K extends AdminEndpoint> = Pick<AdminApi[K], 'method' | 'path'>

const ROUTES = {
  'auth.login': { method: 'POST', path: '/auth/login' },
  'auth.me': { method: 'GET', path: '/auth/me' },
  'auth.logout': { method: 'POST', path: '/auth/logout' },
  'auth.password': { method: 'POST', path: '/auth/password' },
  'channels.list': { method: 'GET', path: '/channels' },
  'channels.get': { method: 'GET', path: '/channels/:id' },
  'channels.create': { method: 'POST', path: '/channels' },
  'channels.update': { method: 'PATCH', path: '/channels/:id' },
  'channels.resetHealth': { method: 'POST', path: '/channels/:id/health/reset' },
  'channels.delete': { method: 'DELETE', path: '/channels/:id' },
  'channels.syncModels': { method: 'POST', path: '/channels/:id/models/sync' },
  'channels.balance': { method: 'GET', path: '/channels/:id/balance' },
  'channels.test': { method: 'POST', path: '/channels/:id/test' },
  'providerPresets.list': { method: 'GET', path: '/provider-presets' },
  'groups.list': { method: 'GET', path: '/groups' },
  'groups.get': { method: 'GET', path: '/groups/:id' },
  'groups.create': { method: 'POST', path: '/groups' },
  'groups.update': { method: 'PATCH', path: '/groups/:id' },
  'groups.delete': { method: 'DELETE', path: '/groups/:id' },
  'apiKeys.list': { method: 'GET', path: '/api-keys' },
  'apiKeys.get': { method: 'GET', path: '/api-keys/:id' },
  'apiKeys.create': { method: 'POST', path: '/api-keys' },
  'apiKeys.update': { method: 'PATCH', path: '/api-keys/:id' },
  'apiKeys.delete': { method: 'DELETE', path: '/api-keys/:id' },
  'prices.list': { method: 'GET', path: '/prices' },
  'prices.resolve': { method: 'GET', path: '/prices/resolve' },
  'prices.get': { method: 'GET', path: '/prices/:id' },
  'prices.create': { method: 'POST', path: '/prices' },
  'prices.update': { method: 'PATCH', path: '/prices/:id' },
  'prices.delete': { method: 'DELETE', path: '/prices/:id' },
  'prices.sync': { method: 'POST', path: '/prices/sync' },
  'settings.get': { method: 'GET', path: '/settings' },
  'settings.update': { method: 'PATCH', path: '/settings' },
  'stats.live': { method: 'GET', path: '/stats/live' },
  'stats.summary': { method: 'GET', path: '/stats/summary' },
  'stats.series': { method: 'GET', path: '/stats/series' },
  'stats.top': { method: 'GET', path: '/stats/top' },
  'logs.list': { method: 'GET', path: '/logs' },
  'logs.get': { method: 'GET', path: '/logs/:id' }
} as const satisfies { [K in AdminEndpoint]: Route<K> }

/** What a call sends: the path id, the query and the body the endpoint takes. */
export interface CallInput<K extends AdminEndpoint> {
  id?: number
  query?: EndpointQuery<K>
  body?: EndpointBody<K>
}

/** A failed call: the API's `{ error: { code, message } }`, or a transport problem (`status` 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: ReadonlyArray<{ path: string; message: string }> = []
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** Answer of `GET /healthz`. */
export interface Health {
  status: string
  version: string
}

/** The URL of `path` with the query's defined values. */
export function withQuery(path: string, query: object | undefined): string {
  if (!query) return path
  const search = new URLSearchParams()
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value))
  }
  const text = search.toString()
  return text === '' ? path : `${path}?${text}`
}

async function send<T>(method: string, url: string, body: unknown, token: string | null): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (token) headers.authorization = `Bearer ${token}`
  let res: Response
  try {
    res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  } catch {
    throw new ApiError(0, 'network_error', 'Cannot reach the Cuttle server.')
  }
  const payload: unknown = await res.json().catch(() => undefined)
  if (!res.ok) {
    const error = isErrorBody(payload) ? payload.error : undefined
    throw new ApiError(res.status, error?.code ?? 'http_error', error?.message ?? `The server answered ${res.status} ${res.statusText}.`.trim(), error?.fields ?? [])
  }
  if (payload === undefined) throw new ApiError(res.status, 'invalid_response', 'The server sent an answer that is not JSON.')
  return payload as T
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false
  const error = (value as { error: unknown }).error
  return typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string'
}

/** Calls one admin endpoint by its contract name with `token`. */
export function callApi<K extends AdminEndpoint>(name: K, input: CallInput<K>, token: string | null): Promise<EndpointResult<K>> {
  const route: Route<K> = ROUTES[name]
  const path = route.path.replace(':id', String(input.id ?? ''))
  return send<EndpointResult<K>>(route.method, withQuery(`${API_PREFIX}${path}`, input.query as object | undefined), input.body, token)
}

/** `GET /healthz`: the server answers, and its version. */
export function getHealth(): Promise<Health> {
  return send<Health>('GET', '/healthz', undefined, null)
}
