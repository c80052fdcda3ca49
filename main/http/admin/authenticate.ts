import type { Context } from 'koa'
import { adminErrors } from '../http-errors'
import type { AdminDeps, AdminRequest } from './admin-context'

/** The token of an `Authorization: Bearer …` header, if any. */
export function bearerToken(ctx: Context): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'))?.[1]
}

/** Checks an admin token: signature, expiry, and that the user's sessions were not revoked since. */
export async function authenticate(token: string | undefined, deps: AdminDeps): Promise<Pick<AdminRequest, 'user' | 'tokenExpiresAt'>> {
  if (!token) throw adminErrors.unauthorized()
  const claims = deps.tokens.verify(token, deps.now())
  if (!claims) throw adminErrors.unauthorized('The token is invalid or has expired; sign in again.')
  const user = await deps.repos.users.get(claims.userId)
  if (!user || user.sessionEpoch !== claims.epoch) throw adminErrors.unauthorized('The token was revoked; sign in again.')
  return { user, tokenExpiresAt: claims.expiresAt }
}
