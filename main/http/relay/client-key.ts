import type { Context } from 'koa'
import { relayErrors, type RelayError } from '../../relay/relay-errors'
import type { RouteApiKey, RouteTable } from '../../relay/routing/route-table'

/** The client key from any header form the four protocols use (DESIGN §4 step 1). */
export function presentedKey(ctx: Context): string | null {
  const auth = ctx.get('authorization')
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(auth)
  if (bearer?.[1]) return bearer[1]
  const header = ctx.get('x-api-key') || ctx.get('x-goog-api-key')
  if (header) return header.trim()
  const query = ctx.query.key
  return typeof query === 'string' && query !== '' ? query : null
}

/**
 * Finds the client key by its SHA-256 in the in-memory table: comparing hashes means the lookup
 * time says nothing about the key, and the database is never touched.
 */
export function authenticateClient(ctx: Context, table: RouteTable, now: number): { ok: true; key: RouteApiKey } | { ok: false; error: RelayError } {
  const presented = presentedKey(ctx)
  if (presented === null) return { ok: false, error: relayErrors.missingKey() }
  const key = table.findApiKey(presented)
  if (!key?.enabled) return { ok: false, error: relayErrors.invalidKey() }
  if (key.expiresAt !== null && key.expiresAt <= now) return { ok: false, error: relayErrors.expiredKey() }
  return { ok: true, key }
}
