/**
 * A tiny typed client for the admin API. Types come from the shared contract; only types are
 * imported, so the contract's zod schemas stay out of the browser bundle. The route table below is
 * checked against the contract at compile time, so a changed path or method is a type error here.
 */
import type { ADMIN_API_PREFIX, AdminApi, AdminEndpoint, EndpointBody, EndpointResult } from '@shared/contract/admin-api'
import type { ErrorBody } from '@shared/dto/common'

const API_PREFIX: typeof ADMIN_API_PREFIX = '/api/v1'

/** Link to the machine-readable description of the admin API. */
export const OPENAPI_URL = `${API_PREFIX}/openapi.json`

type Route<K extends AdminEndpoint> = Pick<AdminApi[K], 'method' | 'path'>

/** The endpoints this page calls; the full UI adds the rest. */
const ROUTES = {
  'auth.login': { method: 'POST', path: '/auth/login' },
  'auth.me': { method: 'GET', path: '/auth/me' }
} as const satisfies { [K in AdminEndpoint]?: Route<K> }

type ClientEndpoint = keyof typeof ROUTES

/** A failed call: the API's `{ error: { code, message } }`, or a transport problem (`status` 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string
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

const TOKEN_KEY = 'cuttle.token'

/** The admin token of this tab, if signed in. */
export function readToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY)
}

/** Keeps the token for this tab only (gone when the tab closes). */
export function storeToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token)
}

export function clearToken(): void {
  sessionStorage.removeItem(TOKEN_KEY)
}

async function send<T>(method: string, url: string, body?: unknown, token?: string | null): Promise<T> {
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
    throw new ApiError(res.status, error?.code ?? 'http_error', error?.message ?? `The server answered ${res.status} ${res.statusText}.`.trim())
  }
  if (payload === undefined) throw new ApiError(res.status, 'invalid_response', 'The server sent an answer that is not JSON.')
  return payload as T
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false
  const error = (value as { error: unknown }).error
  return typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string'
}

/** Calls one admin endpoint by its contract name. */
export function call<K extends ClientEndpoint>(name: K, body: EndpointBody<K>, token?: string | null): Promise<EndpointResult<K>> {
  const route: Route<K> = ROUTES[name]
  return send<EndpointResult<K>>(route.method, `${API_PREFIX}${route.path}`, body, token)
}

/** `GET /healthz`: the server answers, and its version. */
export function getHealth(): Promise<Health> {
  return send<Health>('GET', '/healthz')
}

export const login = (body: EndpointBody<'auth.login'>): Promise<EndpointResult<'auth.login'>> => call('auth.login', body)

export const me = (token: string): Promise<EndpointResult<'auth.me'>> => call('auth.me', undefined, token)
